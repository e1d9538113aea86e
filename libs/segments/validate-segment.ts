import { leadColumn, OPS_BY_KIND, ValueKind } from './lead-fields';
import {
  AttributeCatalog,
  COMPARISON_OPS,
  ComparisonOp,
  CONDITION_KINDS,
  ConditionKind,
  CONSENT_CHANNELS,
  CONSENT_STATUS_VALUES,
  LEAD_FIELDS,
  SEGMENT_LIMITS,
  SegmentKind,
  SegmentProblem,
} from './segment.types';
import { isPlainObject, isRelativeDate, isStorableJson, isStorableText, isUuid, lookBackMs, parseIsoDate } from './values';

export interface ValidationContext {
  /** The declared attributes, by name. */
  attributes: AttributeCatalog;
  /** When given, every `inSegment` must name a segment this returns a kind for. */
  segments?: (id: string) => SegmentKind | undefined;
}

const KEYS: Record<ConditionKind, readonly string[]> = {
  all: ['all'],
  any: ['any'],
  not: ['not'],
  field: ['field', 'op', 'value'],
  attribute: ['attribute', 'op', 'value'],
  consent: ['consent', 'status'],
  did: ['did'],
  didNot: ['didNot'],
  inSegment: ['inSegment'],
};
const BEHAVIOUR_KEYS = ['type', 'channel', 'campaignId', 'properties', 'atLeast', 'within'];
const MAX_PROBLEMS = 100;
/** touchpoints.type and .channel are varchar(32). */
const MAX_TOUCHPOINT_TEXT = 32;

interface Target {
  kind: ValueKind;
  options?: readonly string[];
}

/**
 * Checks a segment definition against the DSL and the declared attributes; returns every
 * problem found (up to 100), each with the path of the offending part, or none.
 */
export function validateSegment(definition: unknown, ctx: ValidationContext): SegmentProblem[] {
  if (countsMoreThan(definition, SEGMENT_LIMITS.maxConditions))
    return [{ path: '', message: `has more than ${SEGMENT_LIMITS.maxConditions} conditions` }];
  const validator = new SegmentValidator(ctx);
  validator.condition(definition, '', 0);
  return validator.problems;
}

class SegmentValidator {
  readonly problems: SegmentProblem[] = [];

  constructor(private readonly ctx: ValidationContext) {}

  condition(node: unknown, path: string, depth: number): void {
    if (!isPlainObject(node)) return this.report(path, `must be a condition: an object with one of ${CONDITION_KINDS.join(', ')}`);
    const kinds = CONDITION_KINDS.filter((k) => Object.hasOwn(node, k));
    if (kinds.length !== 1)
      return this.report(
        path,
        kinds.length === 0 ? `must have one of ${CONDITION_KINDS.join(', ')}` : `must have only one of ${kinds.join(', ')}`,
      );
    const kind = kinds[0];
    for (const key of Object.keys(node)) if (!KEYS[kind].includes(key)) this.report(at(path, key), 'is not a known key');
    switch (kind) {
      case 'all':
      case 'any':
        return this.group(node[kind], kind, path, depth);
      case 'not':
        if (depth >= SEGMENT_LIMITS.maxDepth) return this.tooDeep(path);
        return this.condition(node.not, at(path, 'not'), depth + 1);
      case 'field':
        return this.field(node, path);
      case 'attribute':
        return this.attribute(node, path);
      case 'consent':
        return this.consent(node, path);
      case 'did':
      case 'didNot':
        return this.behaviour(node[kind], at(path, kind));
      case 'inSegment':
        return this.inSegment(node.inSegment, at(path, 'inSegment'));
    }
  }

  private group(list: unknown, kind: 'all' | 'any', path: string, depth: number): void {
    if (depth >= SEGMENT_LIMITS.maxDepth) return this.tooDeep(path);
    const here = at(path, kind);
    if (!Array.isArray(list) || list.length === 0) return this.report(here, 'must be a non-empty list of conditions');
    list.forEach((child, i) => this.condition(child, `${here}[${i}]`, depth + 1));
  }

  private tooDeep(path: string): void {
    this.report(path, `nests groups more than ${SEGMENT_LIMITS.maxDepth} levels deep`);
  }

  private field(node: Record<string, unknown>, path: string): void {
    const column = leadColumn(node.field);
    if (!column) {
      const what = typeof node.field === 'string' ? `unknown field ${quote(node.field)}` : 'must name a lead field';
      return this.report(at(path, 'field'), `${what}; known fields: ${LEAD_FIELDS.join(', ')}`);
    }
    this.comparison(node, path, { kind: column.kind, options: column.options });
  }

  private attribute(node: Record<string, unknown>, path: string): void {
    const name = node.attribute;
    const spec = typeof name === 'string' ? this.ctx.attributes.get(name) : undefined;
    if (!spec) {
      const known = [...this.ctx.attributes.keys()].sort();
      const listed = known.length === 0 ? 'no attributes are declared' : `declared attributes: ${abbreviate(known)}`;
      const what = typeof name === 'string' ? `unknown attribute ${quote(name)}` : 'must name a declared attribute';
      return this.report(at(path, 'attribute'), `${what}; ${listed}`);
    }
    this.comparison(node, path, { kind: spec.type, options: spec.options ?? [] });
  }

  private comparison(node: Record<string, unknown>, path: string, target: Target): void {
    const op = node.op;
    if (typeof op !== 'string' || !(COMPARISON_OPS as readonly string[]).includes(op))
      return this.report(at(path, 'op'), `must be one of ${COMPARISON_OPS.join(', ')}`);
    const allowed = OPS_BY_KIND[target.kind];
    if (!allowed.includes(op as ComparisonOp))
      return this.report(at(path, 'op'), `${op} does not apply to ${target.kind} values; use one of ${allowed.join(', ')}`);
    const here = at(path, 'value');
    const value = node.value;
    if (value === undefined) return this.report(here, 'is required');
    switch (op as ComparisonOp) {
      case 'exists':
        if (typeof value !== 'boolean') this.report(here, 'must be true (present) or false (absent)');
        return;
      case 'in':
      case 'not_in':
        if (!Array.isArray(value) || value.length === 0 || value.length > SEGMENT_LIMITS.maxListValues)
          return this.report(here, `must be a non-empty list of at most ${SEGMENT_LIMITS.maxListValues} values`);
        value.forEach((item, i) => this.scalar(item, `${here}[${i}]`, target, op as ComparisonOp));
        return;
      case 'between':
        return this.range(value, here, target);
      default:
        this.scalar(value, here, target, op as ComparisonOp);
    }
  }

  private range(value: unknown, path: string, target: Target): void {
    if (!Array.isArray(value) || value.length !== 2) return this.report(path, 'must be [low, high]');
    const [low, high] = value;
    const lowOk = this.scalar(low, `${path}[0]`, target, 'between');
    const highOk = this.scalar(high, `${path}[1]`, target, 'between');
    if (lowOk && highOk && outOfOrder(low, high)) this.report(path, 'low must not be after high');
  }

  /** Checks one value against the field's kind; returns whether it is valid. */
  private scalar(value: unknown, path: string, target: Target, op: ComparisonOp): boolean {
    const problem = scalarProblem(value, target, op);
    if (problem === null) return true;
    if (target.kind === 'date' && isRelativeDate(value)) this.report(`${path}.ago`, problem);
    else this.report(path, problem);
    return false;
  }

  private consent(node: Record<string, unknown>, path: string): void {
    if (!(CONSENT_CHANNELS as readonly unknown[]).includes(node.consent))
      this.report(at(path, 'consent'), `must be a channel: ${CONSENT_CHANNELS.join(', ')}`);
    const here = at(path, 'status');
    const statuses = CONSENT_STATUS_VALUES.join(', ');
    const status = node.status;
    if (Array.isArray(status) && status.length > 0) {
      status.forEach((s, i) => {
        if (!(CONSENT_STATUS_VALUES as readonly unknown[]).includes(s)) this.report(`${here}[${i}]`, `must be one of ${statuses}`);
      });
    } else if (!(CONSENT_STATUS_VALUES as readonly unknown[]).includes(status)) {
      this.report(here, `must be a status or a non-empty list of statuses: ${statuses}`);
    }
  }

  private behaviour(spec: unknown, path: string): void {
    if (!isPlainObject(spec)) return this.report(path, 'must be an object with at least the touchpoint type');
    for (const key of Object.keys(spec)) if (!BEHAVIOUR_KEYS.includes(key)) this.report(at(path, key), 'is not a known key');
    const textProblem = touchpointTextProblem(spec.type);
    if (textProblem) this.report(at(path, 'type'), textProblem);
    if (spec.channel !== undefined) {
      const channelProblem = touchpointTextProblem(spec.channel);
      if (channelProblem) this.report(at(path, 'channel'), channelProblem);
    }
    if (spec.campaignId !== undefined && !isUuid(spec.campaignId)) this.report(at(path, 'campaignId'), 'must be a campaign id (UUID)');
    if (spec.properties !== undefined) {
      const json = isPlainObject(spec.properties) ? JSON.stringify(spec.properties) : '';
      if (!isPlainObject(spec.properties)) this.report(at(path, 'properties'), 'must be an object the touchpoint properties contain');
      else if (json.length > SEGMENT_LIMITS.maxPropertiesJson)
        this.report(at(path, 'properties'), `must be at most ${SEGMENT_LIMITS.maxPropertiesJson} characters as JSON`);
      else if (!isStorableJson(spec.properties)) this.report(at(path, 'properties'), 'must not contain NUL characters or lone surrogates');
    }
    if (spec.atLeast !== undefined && !(Number.isInteger(spec.atLeast) && (spec.atLeast as number) >= 1 && (spec.atLeast as number) <= SEGMENT_LIMITS.maxAtLeast))
      this.report(at(path, 'atLeast'), `must be a whole number from 1 to ${SEGMENT_LIMITS.maxAtLeast}`);
    if (spec.within !== undefined && (typeof spec.within !== 'string' || lookBackMs(spec.within) === null))
      this.report(at(path, 'within'), DURATION_HINT);
  }

  private inSegment(id: unknown, path: string): void {
    if (!isUuid(id)) return this.report(path, 'must be a segment id (UUID)');
    if (this.ctx.segments && !this.ctx.segments(id.toLowerCase())) this.report(path, `segment ${id} does not exist`);
  }

  private report(path: string, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ path, message });
    else if (this.problems.length === MAX_PROBLEMS) this.problems.push({ path: '', message: 'has more problems; fix these first' });
  }
}

/** Whether the definition has more than `limit` conditions (groups included); stops counting there. */
function countsMoreThan(definition: unknown, limit: number): boolean {
  let count = 0;
  const todo: unknown[] = [definition];
  while (todo.length > 0 && count <= limit) {
    const node = todo.pop();
    count += 1;
    if (!isPlainObject(node)) continue;
    for (const key of ['all', 'any'] as const) if (Array.isArray(node[key])) todo.push(...(node[key] as unknown[]).slice(0, limit + 1));
    if ('not' in node) todo.push(node.not);
  }
  return count > limit;
}

const DURATION_HINT = 'must be a duration such as 30d, 12h, 2w or P30D, of at most 100 years';
const DATE_HINT = 'must be an ISO 8601 date-time with a time zone (2025-01-31T09:00:00Z), a date (2025-01-31) or { "ago": "30d" }';

function scalarProblem(value: unknown, target: Target, op: ComparisonOp): string | null {
  switch (target.kind) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (value.length > SEGMENT_LIMITS.maxStringLength) return `must be at most ${SEGMENT_LIMITS.maxStringLength} characters`;
      if (!isStorableText(value)) return 'must not contain NUL characters or lone surrogates';
      if ((op === 'contains' || op === 'starts_with') && value === '') return 'must not be empty';
      return null;
    case 'integer':
      return Number.isSafeInteger(value) ? null : 'must be a whole number';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a finite number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'uuid':
      return isUuid(value) ? null : 'must be a UUID';
    case 'enum': {
      const options = target.options ?? [];
      return typeof value === 'string' && options.includes(value) ? null : `must be one of ${abbreviate(options)}`;
    }
    case 'date':
      if (typeof value === 'string') return parseIsoDate(value) ? null : DATE_HINT;
      if (isRelativeDate(value)) return lookBackMs(value.ago) === null ? DURATION_HINT : null;
      return DATE_HINT;
  }
}

/** Whether a valid [low, high] pair is known to be empty, without knowing the time now. */
function outOfOrder(low: unknown, high: unknown): boolean {
  if (typeof low === 'number' && typeof high === 'number') return low > high;
  if (typeof low === 'string' && typeof high === 'string') return parseIsoDate(low)!.getTime() > parseIsoDate(high)!.getTime();
  // Relative dates: the low end reaches back further (a larger "ago") than the high end.
  if (isRelativeDate(low) && isRelativeDate(high)) return lookBackMs(low.ago)! < lookBackMs(high.ago)!;
  return false;
}

function touchpointTextProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '' || value.length > MAX_TOUCHPOINT_TEXT)
    return `must be a non-empty string of at most ${MAX_TOUCHPOINT_TEXT} characters`;
  return isStorableText(value) ? null : 'must not contain NUL characters or lone surrogates';
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}

function abbreviate(names: readonly string[], max = 50): string {
  return names.length > max ? `${names.slice(0, max).join(', ')}, … (${names.length - max} more)` : names.join(', ');
}
