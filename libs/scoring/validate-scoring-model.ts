import { isStorableJson, isStorableText, isUuid, SegmentCondition, SegmentProblem } from '@ce/segments';
import {
  BehaviourRule,
  EventMatch,
  FIELDS_SCORING_SETS,
  RULE_KINDS,
  RuleKind,
  SCORING_LIMITS as L,
  ScoringModel,
  ScoringRule,
  StageThresholds,
} from './scoring-model.types';

const RULE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Touchpoint types and channels are stored as lower-case words of up to 32 characters. */
const MAX_TOUCHPOINT_TEXT = 32;
const TOUCHPOINT_WORD = /^[a-z][a-z0-9_]{0,31}$/;
const MAX_PROBLEMS = 200;

const RULE_KEYS: Record<RuleKind, readonly string[]> = {
  fit: ['id', 'kind', 'name', 'points', 'when'],
  behaviour: ['id', 'kind', 'name', 'points', 'event', 'cap', 'halfLifeDays', 'lookbackDays'],
  negative: ['id', 'kind', 'name', 'points', 'when', 'inactiveDays'],
};
const EVENT_KEYS = ['type', 'channel', 'campaignId', 'properties'];

/** A rule's condition and where it is in the model, for checking in the segment language. */
export interface ConditionAt {
  path: string;
  condition: unknown;
}

export interface ScoringModelCheck {
  /** The model with its defaults filled in, when there is no problem. */
  model: ScoringModel | null;
  problems: SegmentProblem[];
  /**
   * Every rule's condition with its path. They are checked here only for the fields scoring
   * sets; the caller checks them against the segment language and the declared attributes
   * (which need the database) and puts the problems under these paths.
   */
  conditions: ConditionAt[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Checks a scoring model as a client sent it: every problem (up to 200) with its path
 * (`rules[2].event.type[0]`, `rules[0].when.field`, `thresholds.mql`), or the model with its
 * defaults filled in. Conditions are segment conditions and may not test the fields scoring
 * itself sets.
 */
export function validateScoringModel(input: unknown): ScoringModelCheck {
  const v = new ModelValidator();
  const model = v.model(input);
  const problems = v.problems.slice(0, MAX_PROBLEMS);
  return { model: problems.length > 0 ? null : model, problems, conditions: v.conditions };
}

class ModelValidator {
  readonly problems: SegmentProblem[] = [];
  readonly conditions: ConditionAt[] = [];

  private fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  model(input: unknown): ScoringModel {
    if (!isObject(input)) {
      this.fail('', 'must be an object with rules and thresholds');
      return { rules: [], thresholds: { lead: null, mql: 0 } };
    }
    for (const key of Object.keys(input)) if (key !== 'rules' && key !== 'thresholds') this.fail(key, 'is not a known key');
    return { rules: this.rules(input.rules), thresholds: this.thresholds(input.thresholds) };
  }

  private rules(input: unknown): ScoringRule[] {
    if (!Array.isArray(input)) {
      this.fail('rules', 'must be a list of rules');
      return [];
    }
    if (input.length > L.maxRules) this.fail('rules', `must have at most ${L.maxRules} rules`);
    const seen = new Map<string, number>();
    return input.slice(0, L.maxRules).map((raw, i) => {
      const rule = this.rule(raw, `rules[${i}]`);
      if (rule && rule.id !== '' && seen.has(rule.id)) this.fail(`rules[${i}].id`, `repeats the id of rules[${seen.get(rule.id)}]`);
      else if (rule && rule.id !== '') seen.set(rule.id, i);
      return rule as ScoringRule;
    });
  }

  private rule(raw: unknown, path: string): ScoringRule | null {
    if (!isObject(raw)) {
      this.fail(path, 'must be a rule: an object with id, kind, name and points');
      return null;
    }
    const kind = raw.kind as RuleKind;
    if (!RULE_KINDS.includes(kind)) {
      this.fail(`${path}.kind`, `must be one of ${RULE_KINDS.join(', ')}`);
      return null;
    }
    for (const key of Object.keys(raw)) if (!RULE_KEYS[kind].includes(key)) this.fail(`${path}.${key}`, `is not a key of a ${kind} rule`);
    const id = typeof raw.id === 'string' && RULE_ID.test(raw.id) ? raw.id : null;
    if (id === null) this.fail(`${path}.id`, 'must be 1 to 64 lower-case letters, digits, - or _, starting with a letter or digit');
    const name = typeof raw.name === 'string' ? raw.name.trim() : '';
    if (name === '' || name.length > L.maxNameLength || !isStorableText(name)) this.fail(`${path}.name`, `must be text of 1 to ${L.maxNameLength} characters`);
    const points = raw.points;
    if (!isWhole(points) || points === 0 || Math.abs(points) > L.maxPoints)
      this.fail(`${path}.points`, `must be a whole number from -${L.maxPoints} to ${L.maxPoints}, not 0`);
    else if (kind === 'negative' && points > 0) this.fail(`${path}.points`, 'must be below 0 in a negative rule');
    const base = { id: id ?? '', name, points: points as number };

    if (kind === 'fit') return { ...base, kind, when: this.condition(raw.when, `${path}.when`) };
    if (kind === 'behaviour') return this.behaviour(raw, path, base);
    const hasWhen = raw.when !== undefined && raw.when !== null;
    const hasDays = raw.inactiveDays !== undefined && raw.inactiveDays !== null;
    if (hasWhen === hasDays) this.fail(path, 'must have either when (a condition) or inactiveDays, not both');
    const inactiveDays = hasDays ? this.whole(raw.inactiveDays, `${path}.inactiveDays`, 1, L.maxInactiveDays) : null;
    return { ...base, kind, when: hasWhen ? this.condition(raw.when, `${path}.when`) : null, inactiveDays };
  }

  private behaviour(raw: Record<string, unknown>, path: string, base: { id: string; name: string; points: number }): BehaviourRule {
    const cap = raw.cap === undefined || raw.cap === null ? null : this.whole(raw.cap, `${path}.cap`, 1, L.maxCap);
    if (cap !== null && raw.cap === cap && cap < Math.abs(base.points)) this.fail(`${path}.cap`, 'must be at least the points of one touchpoint');
    const halfLifeDays = raw.halfLifeDays === undefined || raw.halfLifeDays === null ? null : this.days(raw.halfLifeDays, `${path}.halfLifeDays`, L.maxHalfLifeDays);
    const lookbackDays = raw.lookbackDays === undefined ? L.defaultLookbackDays : this.whole(raw.lookbackDays, `${path}.lookbackDays`, 1, L.maxLookbackDays);
    return { ...base, kind: 'behaviour', event: this.event(raw.event, `${path}.event`), cap, halfLifeDays, lookbackDays };
  }

  private event(raw: unknown, path: string): EventMatch {
    if (!isObject(raw)) {
      this.fail(path, 'must be an object saying which touchpoints count (type, channel, campaignId, properties)');
      return {};
    }
    for (const key of Object.keys(raw)) if (!EVENT_KEYS.includes(key)) this.fail(`${path}.${key}`, 'is not a known key');
    const match: EventMatch = {};
    for (const key of ['type', 'channel'] as const) if (raw[key] !== undefined) match[key] = this.names(raw[key], `${path}.${key}`);
    if (raw.campaignId !== undefined) {
      if (typeof raw.campaignId === 'string' && isUuid(raw.campaignId)) match.campaignId = raw.campaignId.toLowerCase();
      else this.fail(`${path}.campaignId`, 'must be a campaign id (a UUID)');
    }
    if (raw.properties !== undefined) {
      if (isObject(raw.properties) && Object.keys(raw.properties).length > 0 && isStorableJson(raw.properties)) match.properties = raw.properties;
      else this.fail(`${path}.properties`, 'must be a non-empty object of the property values to match');
    }
    return match;
  }

  /** One name or a list of them, each a touchpoint type or channel as stored: a lower-case word. */
  private names(raw: unknown, path: string): string[] {
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0 || list.length > L.maxListLength) this.fail(path, `must be a name or a list of 1 to ${L.maxListLength} names`);
    list.forEach((item, i) => {
      if (typeof item !== 'string' || !TOUCHPOINT_WORD.test(item))
        this.fail(Array.isArray(raw) ? `${path}[${i}]` : path, `must be a lower-case word of at most ${MAX_TOUCHPOINT_TEXT} letters, digits and _ (such as paid_search)`);
    });
    return list.map(String);
  }

  private condition(raw: unknown, path: string): SegmentCondition {
    if (raw === undefined || raw === null) {
      this.fail(path, 'must be a condition');
      return raw as never;
    }
    this.conditions.push({ path, condition: raw });
    for (const p of scoringFieldsIn(raw, '')) this.fail(p === '' ? path : `${path}.${p}`, 'tests a field that scoring sets (score, lifecycleStage, ownerId, updatedAt)');
    return raw as SegmentCondition;
  }

  private thresholds(raw: unknown): StageThresholds {
    if (!isObject(raw)) {
      this.fail('thresholds', 'must be an object with mql (and lead)');
      return { lead: null, mql: 0 };
    }
    for (const key of Object.keys(raw)) if (key !== 'lead' && key !== 'mql') this.fail(`thresholds.${key}`, 'is not a known key');
    const mql = this.whole(raw.mql, 'thresholds.mql', 1, L.maxThreshold);
    const lead = raw.lead === undefined || raw.lead === null ? null : this.whole(raw.lead, 'thresholds.lead', 1, L.maxThreshold);
    if (lead !== null && raw.lead === lead && raw.mql === mql && lead > mql) this.fail('thresholds.lead', 'must not be above thresholds.mql');
    return { lead, mql };
  }

  private whole(raw: unknown, path: string, min: number, max: number): number {
    if (isWhole(raw) && raw >= min && raw <= max) return raw;
    this.fail(path, `must be a whole number from ${min} to ${max}`);
    return min;
  }

  private days(raw: unknown, path: string, max: number): number {
    if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0 && raw <= max) return raw;
    this.fail(path, `must be a number of days above 0, at most ${max}`);
    return 1;
  }
}

/** The paths (relative to the condition) of `field` conditions on fields scoring sets. */
function scoringFieldsIn(node: unknown, path: string): string[] {
  if (!isObject(node)) return [];
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (Array.isArray(node.all)) return node.all.flatMap((c, i) => scoringFieldsIn(c, `${at('all')}[${i}]`));
  if (Array.isArray(node.any)) return node.any.flatMap((c, i) => scoringFieldsIn(c, `${at('any')}[${i}]`));
  if (node.not !== undefined) return scoringFieldsIn(node.not, at('not'));
  return (FIELDS_SCORING_SETS as readonly unknown[]).includes(node.field) ? [at('field')] : [];
}
