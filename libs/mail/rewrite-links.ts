import { decodeEntities, escapeAttribute } from './html-entities';
import { anchorOpenTagPattern, findAttribute, readAttributes } from './html-tags';

export interface RewrittenHtml {
  html: string;
  /** The original URL of every rewritten link, in document order (repeats included). */
  links: string[];
}

export interface RewrittenText {
  text: string;
  /** The original URL of every rewritten link, in order (repeats included). */
  links: string[];
}

const ABSOLUTE_HTTP = /^https?:\/\/\S/i;

/**
 * Passes the href of every `<a>` that points to an absolute http(s) URL through `rewrite`
 * (decoded, so `&amp;` arrives as `&`) and writes the result back attribute-escaped.
 * mailto:, tel:, #anchors, relative links and tags marked `data-no-track` stay as they are.
 */
export function rewriteLinks(html: string, rewrite: (url: string) => string): RewrittenHtml {
  const links: string[] = [];
  const rewritten = html.replace(anchorOpenTagPattern(), (tag: string, attributeText: string) => {
    const attributes = readAttributes(attributeText);
    if (findAttribute(attributes, 'data-no-track')) return tag;
    const href = findAttribute(attributes, 'href');
    if (!href || href.value === null) return tag;

    const url = decodeEntities(href.value).trim();
    if (!ABSOLUTE_HTTP.test(url)) return tag;
    links.push(url);
    const attribute = `${attributeText.slice(href.start, href.start + 4)}="${escapeAttribute(rewrite(url))}"`;
    const newAttributes = attributeText.slice(0, href.start) + attribute + attributeText.slice(href.end);
    // The tag is '<a' (either case), the attributes, then its closing '>' or '/>'.
    return tag.slice(0, 2) + newAttributes + tag.slice(2 + attributeText.length);
  });
  return { html: rewritten, links };
}

/**
 * Rewrites bare http(s) URLs in plain text. A URL ends at whitespace; `.`, `,` and an
 * unmatched `)` at its end are taken as punctuation around it, not part of it.
 */
export function rewriteTextLinks(text: string, rewrite: (url: string) => string): RewrittenText {
  const links: string[] = [];
  const rewritten = text.replace(/https?:\/\/[^\s<>"]+/gi, (candidate: string) => {
    const url = trimTrailingPunctuation(candidate);
    if (!ABSOLUTE_HTTP.test(url)) return candidate;
    links.push(url);
    return rewrite(url) + candidate.slice(url.length);
  });
  return { text: rewritten, links };
}

/** Adds a 1×1 open-tracking image just before `</body>`, or at the end when there is none. */
export function appendOpenPixel(html: string, pixelUrl: string): string {
  const pixel = `<img src="${escapeAttribute(pixelUrl)}" width="1" height="1" alt="" style="display:none">`;
  const bodyEnd = html.toLowerCase().lastIndexOf('</body');
  return bodyEnd === -1 ? html + pixel : html.slice(0, bodyEnd) + pixel + html.slice(bodyEnd);
}

function trimTrailingPunctuation(candidate: string): string {
  let end = candidate.length;
  let unmatchedCloses = count(candidate, ')') - count(candidate, '(');
  while (end > 0) {
    const last = candidate[end - 1];
    if (last === '.' || last === ',') end -= 1;
    else if (last === ')' && unmatchedCloses > 0) {
      end -= 1;
      unmatchedCloses -= 1;
    } else break;
  }
  return candidate.slice(0, end);
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
