import { LeadColumn, leadColumn, ValueKind } from './lead-fields';
import { AttributeCondition, AttributeSpec, ComparisonOp, FieldCondition } from './segment.types';
import { FALSE, joinSql, sql, SqlFragment, trusted } from './sql-fragment';
import { resolveDate } from './values';

/**
 * A compiled condition. `nullable`: the SQL may yield NULL rather than false (a comparison on
 * a nullable column), which matters only under `not`.
 */
export interface Predicate {
  fragment: SqlFragment;
  nullable: boolean;
}

export const NEVER: Predicate = { fragment: FALSE, nullable: false };

/** A comparison on one of the lead's columns, read through the fixed field table. */
export function compileField(node: FieldCondition, now: Date): Predicate {
  const column = leadColumn(node.field);
  if (!column) return NEVER;
  const col = trusted(column.column);
  const param = (value: unknown) => typedParam(column, value, now);
  const value = node.value as unknown;
  const values = Array.isArray(value) ? value : [value];
  const list = () => joinSql(values.map(param), ', ');
  const nullable = column.nullable;
  switch (node.op) {
    case 'eq':
      return { fragment: sql`${col} = ${param(value)}`, nullable };
    case 'neq':
      return { fragment: nullable ? sql`${col} is distinct from ${param(value)}` : sql`${col} <> ${param(value)}`, nullable: false };
    case 'in':
      return { fragment: sql`${col} in (${list()})`, nullable };
    case 'not_in':
      return { fragment: nullable ? sql`(${col} is null or ${col} not in (${list()}))` : sql`${col} not in (${list()})`, nullable: false };
    case 'contains':
      return { fragment: sql`${col} ilike ${`%${escapeLike(String(value))}%`}`, nullable };
    case 'starts_with':
      return { fragment: sql`${col} ilike ${`${escapeLike(String(value))}%`}`, nullable };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'between':
      return { fragment: ordering(node.op, col, values, param), nullable };
    case 'exists':
      return { fragment: value === true ? sql`${col} is not null` : sql`${col} is null`, nullable: false };
    default:
      return NEVER;
  }
}

/** A value as a parameter, cast so that PostgreSQL compares it as the column's type. */
function typedParam(column: LeadColumn, value: unknown, now: Date): SqlFragment {
  return castParam(column.kind, typeof value === 'string' && column.normalise ? column.normalise(value) : value, now);
}

function castParam(kind: ValueKind, value: unknown, now: Date): SqlFragment {
  switch (kind) {
    case 'integer':
      return sql`${String(value)}::bigint`;
    case 'number':
      return sql`${String(value)}::numeric`;
    case 'uuid':
      return sql`${value}::uuid`;
    case 'date':
      return sql`${resolveDate(value, now)}::timestamptz`;
    default:
      return sql`${value}`;
  }
}

/**
 * A comparison on a custom attribute. The attribute name is always a parameter (`->> ?`) or
 * inside a JSON parameter (`@> ?::jsonb`, which the GIN index on attributes serves).
 */
export function compileAttribute(node: AttributeCondition, spec: AttributeSpec | undefined, now: Date): Predicate {
  if (!spec) return NEVER;
  const name = node.attribute;
  const value = node.value as unknown;
  const values = Array.isArray(value) ? value : [value];
  const text = sql`(l.attributes ->> ${name})`;
  const holds = (v: unknown) => sql`${JSON.stringify({ [name]: v })}::jsonb`;
  const anyOf = () => sql`l.attributes @> any (array[${joinSql(values.map(holds), ', ')}])`;
  switch (node.op) {
    case 'exists':
      return { fragment: value === true ? sql`${text} is not null` : sql`${text} is null`, nullable: false };
    case 'eq':
      return { fragment: sql`l.attributes @> ${holds(value)}`, nullable: false };
    case 'neq':
      return { fragment: sql`not (l.attributes @> ${holds(value)})`, nullable: false };
    case 'in':
      return { fragment: anyOf(), nullable: false };
    case 'not_in':
      return { fragment: sql`not (${anyOf()})`, nullable: false };
    case 'contains':
      return { fragment: sql`${text} ilike ${`%${escapeLike(String(value))}%`}`, nullable: true };
    case 'starts_with':
      return { fragment: sql`${text} ilike ${`${escapeLike(String(value))}%`}`, nullable: true };
  }
  if (spec.type === 'date')
    return { fragment: ordering(node.op, attributeTimestamp(name), values, (v) => castParam('date', v, now)), nullable: true };
  if (spec.type === 'number') {
    const compared = ordering(node.op, sql`(l.attributes ->> ${name})::numeric`, values, (v) => castParam('number', v, now));
    // Only values stored as JSON numbers are compared, so a malformed one cannot fail the cast.
    return { fragment: sql`case when jsonb_typeof(l.attributes -> ${name}) = 'number' then ${compared} else false end`, nullable: false };
  }
  return NEVER;
}

/** gt, gte, lt, lte and between; `values` holds the value, or [low, high]. */
function ordering(op: ComparisonOp, operand: SqlFragment, values: unknown[], param: (v: unknown) => SqlFragment): SqlFragment {
  switch (op) {
    case 'gt':
      return sql`${operand} > ${param(values[0])}`;
    case 'gte':
      return sql`${operand} >= ${param(values[0])}`;
    case 'lt':
      return sql`${operand} < ${param(values[0])}`;
    case 'lte':
      return sql`${operand} <= ${param(values[0])}`;
    case 'between':
      return sql`${operand} between ${param(values[0])} and ${param(values[1])}`;
    default:
      return FALSE;
  }
}

/**
 * Date attributes hold ISO 8601 strings. The cast to timestamptz happens only for text shaped
 * like one (year 0001-9999, month 01-12, day within the month, optional time and zone), so a
 * malformed stored value compares as NULL instead of failing the query. (The pattern uses
 * `{0,1}` where a regex would usually say `?`, which is the placeholder character.)
 */
function attributeTimestamp(name: string): SqlFragment {
  const text = sql`(l.attributes ->> ${name})`;
  return sql`case when ${text} ~ ${trusted(ISO_PATTERN)} then case when substr(${text}, 9, 2)::int <= extract(day from (substr(${text}, 1, 7) || '-01')::date + interval '1 month - 1 day') then ${text}::timestamptz end end`;
}

const ISO_PATTERN =
  "'^(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" +
  "(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9}){0,1}){0,1}(Z|[+-](0[0-9]|1[0-5])(:{0,1}[0-5][0-9]){0,1}){0,1}){0,1}$'";

/** `ilike` patterns treat `%`, `_` and `\` specially; the user's text is matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
