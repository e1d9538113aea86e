/**
 * Splits a stream of text into lines without ever holding more than one chunk and one line.
 * A line longer than the limit is not kept: it comes out as `overlong` with its start only,
 * so a file without line breaks cannot make the reader grow without bound.
 */
export type Line = { text: string } | { overlong: string };

/** Longer rows than this are rejected whole; no lead comes near it. */
export const MAX_ROW_CHARS = 100_000;
/** How much of a rejected row is kept to show the user. */
export const MAX_RAW_CHARS = 10_000;

export async function* readLines(chunks: AsyncIterable<string>, maxChars = MAX_ROW_CHARS): AsyncGenerator<Line[]> {
  let carry = '';
  /** The start of a line too long to keep, while the rest of it is skipped. */
  let skipping: string | null = null;
  let first = true;

  const finish = (text: string): Line => {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    return line.length > maxChars ? { overlong: line.slice(0, MAX_RAW_CHARS) } : { text: line };
  };

  for await (let chunk of chunks) {
    if (first && chunk.length > 0) {
      // A byte-order mark is not part of the first column's name.
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    const lines: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (skipping !== null) {
        lines.push({ overlong: skipping });
        skipping = null;
      } else {
        lines.push(finish(carry + chunk.slice(start, nl)));
        carry = '';
      }
      start = nl + 1;
    }
    if (skipping === null) {
      carry += chunk.slice(start);
      if (carry.length > maxChars) {
        skipping = carry.slice(0, MAX_RAW_CHARS);
        carry = '';
      }
    }
    if (lines.length > 0) yield lines;
  }
  if (skipping !== null) yield [{ overlong: skipping }];
  else if (carry !== '') yield [finish(carry)];
}
