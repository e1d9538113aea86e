import { decodeEntities, escapeAttribute } from './html-entities';
import { anchorOpenTagPattern, findAttribute, readAttributes, replaceElements } from './html-tags';

/**
 * Plain-text version of an email's HTML, for the text/plain part when the template has none.
 * Source whitespace collapses as a browser would; block ends become line breaks; links read
 * as `label (url)`.
 */
export function htmlToText(html: string): string {
  let visible = replaceElements(html, /<!--/g, /-->/g, () => '');
  for (const hidden of ['head', 'style', 'script']) {
    const open = new RegExp(`<${hidden}\\b[^<>]*>`, 'gi');
    visible = replaceElements(visible, open, new RegExp(`</${hidden}\\s*>`, 'gi'), () => '');
  }
  const collapsed = visible.replace(/[ \t\r\n\f]+/g, ' ');
  const withLinks = replaceElements(collapsed, anchorOpenTagPattern(), /<\/a\s*>/gi, (openTag, inner) =>
    linkText(openTag[1], inner),
  );
  const withBreaks = withLinks
    .replace(/<(br|hr)\b[^<>]*>/gi, '\n')
    .replace(/<\/(p|h[1-6])\s*>/gi, '\n\n')
    .replace(/<\/(div|li|tr|table|ul|ol|blockquote|header|footer|section|article|main|nav|aside)\s*>/gi, '\n')
    .replace(/<\/(td|th)\s*>/gi, ' ');

  const plain = decodeEntities(stripTags(withBreaks)).replace(/\u00a0/g, ' ');
  return plain
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function stripTags(html: string): string {
  return html.replace(/<[a-zA-Z!?\/][^<>]*>/g, '');
}

/** Text for one `<a>`: still HTML-encoded, since entities are decoded once at the end. */
function linkText(attributeText: string, inner: string): string {
  const rawHref = findAttribute(readAttributes(attributeText), 'href')?.value ?? '';
  const href = decodeEntities(rawHref).trim();
  if (href === '' || href.startsWith('#')) return inner;

  const label = decodeEntities(stripTags(inner)).replace(/\s+/g, ' ').trim();
  const address = href.replace(/^(mailto|tel):/i, '');
  if (label === '' || label === href) return escapeAttribute(href);
  if (label === address) return inner;
  return `${inner} (${escapeAttribute(href)})`;
}
