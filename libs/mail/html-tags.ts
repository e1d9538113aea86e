/**
 * Just enough HTML tag reading for mail bodies: find `<a …>` opening tags (quoted attribute
 * values may contain `>`) and list their attributes with their positions.
 */
const NAME = String.raw`[^\s"'<>\/=]+`;
const VALUE = String.raw`"[^"]*"|'[^']*'|[^\s"'<>` + '`' + ']+';
const ATTRIBUTES = String.raw`(?:\s+${NAME}(?:\s*=\s*(?:${VALUE}))?)*`;

/** `<a …>` opening tags; group 1 holds the attribute text including its leading space. */
export function anchorOpenTagPattern(): RegExp {
  return new RegExp(String.raw`<a(${ATTRIBUTES})\s*\/?>`, 'gi');
}

export interface HtmlAttribute {
  /** Lower-cased attribute name. */
  name: string;
  /** The value as written (entities not decoded); null for a bare attribute such as `data-no-track`. */
  value: string | null;
  /** Where the whole `name=value` text starts and ends within the attribute text. */
  start: number;
  end: number;
}

export function readAttributes(attributeText: string): HtmlAttribute[] {
  const pattern = new RegExp(String.raw`(${NAME})(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>` + '`' + ']+)))?', 'g');
  const attributes: HtmlAttribute[] = [];
  for (const match of attributeText.matchAll(pattern)) {
    const start = match.index ?? 0;
    const value = match[2] ?? match[3] ?? match[4] ?? null;
    attributes.push({ name: match[1].toLowerCase(), value, start, end: start + match[0].length });
  }
  return attributes;
}

export function findAttribute(attributes: HtmlAttribute[], name: string): HtmlAttribute | undefined {
  return attributes.find((attribute) => attribute.name === name);
}

/**
 * Replaces every element that `open` starts and the next match of `close` ends, in one
 * forward pass. (A lazy regex over whole elements rescans the rest of the document for every
 * unclosed tag, which turns quadratic on broken HTML.) Both patterns must have the `g` flag.
 */
export function replaceElements(
  html: string,
  open: RegExp,
  close: RegExp,
  replace: (openTag: RegExpExecArray, inner: string) => string,
): string {
  let result = '';
  let position = 0;
  for (;;) {
    open.lastIndex = position;
    const openTag = open.exec(html);
    if (!openTag) break;
    const innerStart = openTag.index + openTag[0].length;
    close.lastIndex = innerStart;
    const closeTag = close.exec(html);
    // No end after this start means no later start has one either.
    if (!closeTag) break;
    result += html.slice(position, openTag.index) + replace(openTag, html.slice(innerStart, closeTag.index));
    position = closeTag.index + closeTag[0].length;
  }
  return result + html.slice(position);
}
