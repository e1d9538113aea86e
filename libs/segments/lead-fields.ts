import { ComparisonOp, LeadField } from './segment.types';

/** Kept in step with `LIFECYCLE_STAGES` in @ce/db (a unit test checks). */
export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'disqualified'] as const;

/** The kinds of value a field or attribute holds; each decides the operators it allows. */
export type ValueKind = 'string' | 'integer' | 'number' | 'date' | 'boolean' | 'enum' | 'uuid';

export const OPS_BY_KIND: Record<ValueKind, readonly ComparisonOp[]> = {
  string: ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'exists'],
  integer: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  number: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  date: ['gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  boolean: ['eq', 'neq', 'exists'],
  enum: ['eq', 'neq', 'in', 'not_in', 'exists'],
  uuid: ['eq', 'neq', 'in', 'not_in', 'exists'],
};

export interface LeadColumn {
  /** The column, qualified with the leads alias `l`. Fixed text: user input never reaches it. */
  column: string;
  kind: ValueKind;
  nullable: boolean;
  /** The allowed values of an enum field. */
  options?: readonly string[];
  /** Stored values are normalised this way, so compared values are too (emails are lower case). */
  normalise?: (value: string) => string;
}

/** The whitelist of lead fields a segment may test, and the column each one reads. */
export const LEAD_COLUMNS: Readonly<Record<LeadField, LeadColumn>> = {
  email: { column: 'l.email', kind: 'string', nullable: false, normalise: (v) => v.trim().toLowerCase() },
  firstName: { column: 'l.first_name', kind: 'string', nullable: true },
  lastName: { column: 'l.last_name', kind: 'string', nullable: true },
  company: { column: 'l.company', kind: 'string', nullable: true },
  jobTitle: { column: 'l.job_title', kind: 'string', nullable: true },
  phone: { column: 'l.phone', kind: 'string', nullable: true },
  country: { column: 'l.country', kind: 'string', nullable: true, normalise: (v) => v.trim().toUpperCase() },
  timeZone: { column: 'l.time_zone', kind: 'string', nullable: true },
  sourceChannel: { column: 'l.source_channel', kind: 'string', nullable: true },
  lifecycleStage: { column: 'l.lifecycle_stage', kind: 'enum', nullable: false, options: LIFECYCLE_STAGES },
  score: { column: 'l.score', kind: 'integer', nullable: false },
  ownerId: { column: 'l.owner_id', kind: 'uuid', nullable: true },
  createdAt: { column: 'l.created_at', kind: 'date', nullable: false },
  updatedAt: { column: 'l.updated_at', kind: 'date', nullable: false },
};

export function leadColumn(field: unknown): LeadColumn | undefined {
  return typeof field === 'string' && Object.hasOwn(LEAD_COLUMNS, field) ? LEAD_COLUMNS[field as LeadField] : undefined;
}
