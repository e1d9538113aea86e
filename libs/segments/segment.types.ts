/**
 * The segment DSL: a definition is one condition, JSON all the way down. Groups combine
 * conditions; leaves test a lead's fields, custom attributes, consent, behaviour (touchpoints)
 * or membership of another segment.
 */
export type SegmentCondition =
  | AllCondition
  | AnyCondition
  | NotCondition
  | FieldCondition
  | AttributeCondition
  | ConsentCondition
  | DidCondition
  | DidNotCondition
  | InSegmentCondition;

/** Every condition holds (AND). */
export interface AllCondition {
  all: SegmentCondition[];
}

/** At least one condition holds (OR). */
export interface AnyCondition {
  any: SegmentCondition[];
}

/** The condition does not hold. */
export interface NotCondition {
  not: SegmentCondition;
}

export const COMPARISON_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'exists',
] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** A moment relative to the evaluation time: now minus the duration (`30d`, `12h`, `P1W`). */
export interface RelativeDate {
  ago: string;
}

/** An ISO 8601 date-time string (or a bare date, taken as midnight UTC), or a relative date. */
export type DateValue = string | RelativeDate;

export type ScalarValue = string | number | boolean | RelativeDate;

/**
 * The value an operator takes: a scalar for eq, neq, contains, starts_with, gt, gte, lt, lte;
 * a non-empty list for in and not_in; `[low, high]` for between; true or false for exists.
 */
export type ComparisonValue = ScalarValue | ScalarValue[];

export const LEAD_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'country',
  'timeZone',
  'sourceChannel',
  'lifecycleStage',
  'score',
  'ownerId',
  'createdAt',
  'updatedAt',
] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];

/** Compares one of the lead's own fields. */
export interface FieldCondition {
  field: LeadField;
  op: ComparisonOp;
  value: ComparisonValue;
}

/** Compares a declared custom attribute (a key of `leads.attributes`). */
export interface AttributeCondition {
  attribute: string;
  op: ComparisonOp;
  value: ComparisonValue;
}

/** Kept in step with `CONSENT_CHANNELS` / `CONSENT_STATUSES` in @ce/db (a unit test checks). */
export const CONSENT_CHANNELS = ['email', 'sms'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_STATUSES = ['subscribed', 'unsubscribed', 'bounced', 'complained'] as const;
/** `none`: the lead has no consent record for the channel. */
export const CONSENT_STATUS_VALUES = [...CONSENT_STATUSES, 'none'] as const;
export type ConsentStatusValue = (typeof CONSENT_STATUS_VALUES)[number];

/** The lead's consent on a channel has this status (or one of these). */
export interface ConsentCondition {
  consent: ConsentChannel;
  status: ConsentStatusValue | ConsentStatusValue[];
}

/** Which touchpoints count: all the given filters must match. */
export interface Behaviour {
  /** Touchpoint type: click, open, visit, ad_click, form_submit… */
  type: string;
  channel?: string;
  campaignId?: string;
  /** Containment on the touchpoint's properties (`properties @> {…}`). */
  properties?: Record<string, unknown>;
  /** How many matching touchpoints make the lead match; 1 when absent. */
  atLeast?: number;
  /** Only touchpoints in this window before the evaluation time (`30d`, `P2W`). */
  within?: string;
}

/** The lead has at least `atLeast` matching touchpoints. */
export interface DidCondition {
  did: Behaviour;
}

/** The lead has fewer than `atLeast` matching touchpoints (none, by default). */
export interface DidNotCondition {
  didNot: Behaviour;
}

/** The lead is in another segment: a dynamic one's definition, or a static one's members. */
export interface InSegmentCondition {
  inSegment: string;
}

/** The key that tells each kind of condition apart. */
export const CONDITION_KINDS = ['all', 'any', 'not', 'field', 'attribute', 'consent', 'did', 'didNot', 'inSegment'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** Kept in step with `ATTRIBUTE_TYPES` in @ce/db (a unit test checks). */
export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date', 'enum'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** What the validator and compiler need to know about a declared attribute. */
export interface AttributeSpec {
  type: AttributeType;
  /** The allowed values of an enum attribute. */
  options?: readonly string[] | null;
}

export type AttributeCatalog = ReadonlyMap<string, AttributeSpec>;

export const SEGMENT_KINDS = ['dynamic', 'static'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/** A segment another definition refers to, as the compiler needs it. */
export interface ReferencedSegment {
  kind: SegmentKind;
  definition: unknown;
}

export interface SegmentProblem {
  /** Where the problem is, e.g. `all[1].any[0].value` (empty for the whole definition). */
  path: string;
  message: string;
}

export const SEGMENT_LIMITS = {
  /** Groups (all/any/not) nested inside one another. */
  maxDepth: 10,
  /** Conditions of every kind, groups included, in one definition. */
  maxConditions: 200,
  /** Conditions once the dynamic segments a definition refers to are inlined. */
  maxExpandedConditions: 2_000,
  /** Entries of an `in` / `not_in` list. */
  maxListValues: 1_000,
  maxStringLength: 1_000,
  /** Characters of a behaviour's `properties` as JSON. */
  maxPropertiesJson: 10_000,
  maxAtLeast: 1_000_000,
  /** Relative dates and `within` windows reach back at most this far. */
  maxLookBackMs: 100 * 366 * 86_400_000,
} as const;
