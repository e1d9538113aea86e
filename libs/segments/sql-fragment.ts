/**
 * A piece of SQL with its parameters, written with `?` placeholders (knex style). The only way
 * to put text into a fragment is a template literal in this library's code or `trusted()` with
 * a fixed string; every interpolated value becomes a placeholder and a parameter.
 */
export class SqlFragment {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

/** Tagged template: `sql\`l.score >= ${value}::bigint\`` → `l.score >= ?::bigint`, [value]. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  let text = checked(strings[0]);
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof SqlFragment) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += checked(strings[i + 1]);
  });
  // `??` is a knex identifier placeholder; two adjacent values would make one.
  if (text.includes('??')) throw new Error(`Adjacent placeholders in SQL: ${text}`);
  return new SqlFragment(text, params);
}

/** Fixed SQL text from this library's own tables (never user input). */
export function trusted(text: string): SqlFragment {
  return new SqlFragment(checked(text), []);
}

export function joinSql(parts: readonly SqlFragment[], separator: string): SqlFragment {
  return new SqlFragment(
    parts.map((p) => p.text).join(checked(separator)),
    parts.flatMap((p) => p.params),
  );
}

export const TRUE = trusted('true');
export const FALSE = trusted('false');

/** A literal `?` in SQL text would be taken for a placeholder: refuse it (a bug, not input). */
function checked(text: string): string {
  if (text.includes('?')) throw new Error(`SQL text must not contain "?": ${text}`);
  return text;
}
