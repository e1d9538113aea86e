/**
 * A PostgreSQL array literal (`{"a","b"}`) for a query parameter cast to `text[]`, `uuid[]`, …:
 * the ORM's `?` placeholders would spread a JavaScript array into a list. Every item is quoted,
 * so commas, braces and quotes inside items are safe.
 */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (c) => '\\' + c)}"`).join(',')}}`;
}
