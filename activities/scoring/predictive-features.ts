import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@ce/db';

/*
 * What the predictive score knows about a lead, as numbers: its fit (declared attributes, country,
 * source, whether company and job title are known) and its engagement (touchpoints of each
 * common type in the 90 days before the moment it is scored at). For training, that moment is a
 * converted lead's first conversion (so what it did afterwards does not give the answer away) and
 * now for the others; for scoring, now.
 */

/** Which values become features; worked out from the training leads and stored with the model. */
export interface FeatureSpec {
  /** Declared number attributes: the value (0 when missing) and a missing flag. */
  numberAttributes: string[];
  /** Declared boolean attributes: 1 when true. */
  booleanAttributes: string[];
  /** Declared enum attributes: one flag per option. */
  enumAttributes: { name: string; options: string[] }[];
  /** The commonest countries and sources: one flag each. */
  countries: string[];
  sources: string[];
  /** The commonest touchpoint types: log(1 + count) in the window. */
  touchTypes: string[];
  windowDays: number;
}

export const ENGAGEMENT_WINDOW_DAYS = 90;
const TOP_VALUES = 10;
const MAX_ENUM_OPTIONS = 20;

/** One lead as the features statement reads it. */
export interface LeadFeatureRow {
  id: string;
  attributes: Record<string, unknown>;
  country: string | null;
  source_channel: string | null;
  has_company: boolean;
  has_job_title: boolean;
  /** Touchpoints per type in the window before the cutoff. */
  touches: Record<string, number> | null;
  /** 1 when the lead has converted (training only). */
  converted: boolean;
}

const COLUMNS = `l.id, l.attributes, l.country, l.source_channel, l.company is not null as has_company, l.job_title is not null as has_job_title`;

/** Touch counts per type in the window before `cutoff` (an SQL expression). */
const touchesSql = (cutoff: string) => `(
  select jsonb_object_agg(x.type, x.n) from (
    select t.type, count(*) as n from touchpoints t
     where t.lead_id = l.id and t.occurred_at < ${cutoff} and t.occurred_at >= ${cutoff} - make_interval(days => ?)
     group by t.type
  ) x
) as touches`;

/**
 * Up to `limit` leads for training, in a fixed pseudo-random order (by a hash of the id), each
 * with its features as of its cutoff and whether it converted.
 */
export async function trainingRows(em: EntityManager, limit: number, windowDays = ENGAGEMENT_WINDOW_DAYS): Promise<LeadFeatureRow[]> {
  return em.execute<LeadFeatureRow[]>(
    `select ${COLUMNS}, c.first_at is not null as converted, ${touchesSql('coalesce(c.first_at, now())')}
       from leads l
       left join lateral (select min(v.occurred_at) as first_at from conversions v where v.lead_id = l.id) c on true
      order by md5(l.id::text)
      limit ?`,
    [windowDays, limit],
  );
}

/** The leads' features as of now, for scoring them. */
export async function currentFeatureRows(em: EntityManager, leadIds: readonly string[], windowDays = ENGAGEMENT_WINDOW_DAYS): Promise<LeadFeatureRow[]> {
  return em.execute<LeadFeatureRow[]>(
    `select ${COLUMNS}, false as converted, ${touchesSql('now()')} from leads l where l.id = any(?::uuid[])`,
    [windowDays, arrayLiteral([...leadIds])],
  );
}

/** The declared attributes by type, as the spec takes them. */
export interface DeclaredAttribute {
  name: string;
  type: string;
  options: string[] | null;
}

/** The features to use, from the declared attributes and the commonest values among the training rows. */
export function featureSpecOf(rows: readonly LeadFeatureRow[], attributes: readonly DeclaredAttribute[]): FeatureSpec {
  return {
    numberAttributes: attributes.filter((a) => a.type === 'number').map((a) => a.name).sort(),
    booleanAttributes: attributes.filter((a) => a.type === 'boolean').map((a) => a.name).sort(),
    enumAttributes: attributes
      .filter((a) => a.type === 'enum' && (a.options?.length ?? 0) > 0)
      .map((a) => ({ name: a.name, options: (a.options ?? []).slice(0, MAX_ENUM_OPTIONS) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    countries: commonest(rows.map((r) => [r.country, 1])),
    sources: commonest(rows.map((r) => [r.source_channel, 1])),
    touchTypes: commonest(rows.flatMap((r) => Object.entries(r.touches ?? {}).map(([type, n]): [string, number] => [type, Number(n)]))),
    windowDays: ENGAGEMENT_WINDOW_DAYS,
  };
}

/** The features' names, in the order `featureVector` gives their values. */
export function featureNames(spec: FeatureSpec): string[] {
  return [
    ...spec.numberAttributes.flatMap((a) => [`attribute:${a}`, `attribute:${a}:missing`]),
    ...spec.booleanAttributes.map((a) => `attribute:${a}`),
    ...spec.enumAttributes.flatMap((a) => a.options.map((o) => `attribute:${a.name}=${o}`)),
    ...spec.countries.map((c) => `country=${c}`),
    ...spec.sources.map((s) => `source=${s}`),
    'known:company',
    'known:jobTitle',
    ...spec.touchTypes.map((t) => `touches:${t}`),
  ];
}

/** A lead's feature values under the spec. */
export function featureVector(spec: FeatureSpec, row: LeadFeatureRow): number[] {
  const attrs = row.attributes ?? {};
  const flag = (on: boolean) => (on ? 1 : 0);
  return [
    ...spec.numberAttributes.flatMap((a) => {
      const v = attrs[a];
      return typeof v === 'number' && Number.isFinite(v) ? [v, 0] : [0, 1];
    }),
    ...spec.booleanAttributes.map((a) => flag(attrs[a] === true)),
    ...spec.enumAttributes.flatMap((a) => a.options.map((o) => flag(attrs[a.name] === o))),
    ...spec.countries.map((c) => flag(row.country === c)),
    ...spec.sources.map((s) => flag(row.source_channel === s)),
    flag(row.has_company),
    flag(row.has_job_title),
    ...spec.touchTypes.map((t) => Math.log1p(Number(row.touches?.[t] ?? 0))),
  ];
}

/** The `TOP_VALUES` commonest values, counting each as often as it says (ties by name), leaving out null. */
function commonest(values: readonly [string | null, number][]): string[] {
  const counts = new Map<string, number>();
  for (const [v, n] of values) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + n);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_VALUES)
    .map(([v]) => v);
}
