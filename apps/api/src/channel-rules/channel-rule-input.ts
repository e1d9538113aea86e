import {
  CHANNEL_NAME,
  ChannelRuleDefinition,
  MAX_PATTERN_ALTERNATIVES,
  normalisePattern,
  patternProblem,
} from '@ce/attribution';
import type { FieldProblem } from '@ce/errors';
import { capProblems, isPlainObject } from '../common/input-checks';

/** The most rules an operator may keep. */
export const MAX_CHANNEL_RULES = 200;
/** The most patterns all rules together may hold. */
export const MAX_CHANNEL_PATTERNS = 2_000;

/** A rule as it is stored: its patterns normalised (trimmed, lower-cased, without repeats); null tests nothing. */
export interface StoredChannelRule {
  channel: string;
  source: string[] | null;
  medium: string[] | null;
}

const RULE_FIELDS = ['channel', 'source', 'medium'];

/**
 * Checks `{ rules: [{ channel, source?, medium? }] }` and returns the rules normalised, or every
 * problem with its path (`rules[3].source`, `rules[3].medium[1]`), all at once. A list that is
 * missing or too long is refused without looking at its rules; an empty list is fine (it
 * leaves only the defaults).
 */
export function parseChannelRules(body: unknown): { rules: StoredChannelRule[]; problems: FieldProblem[] } {
  if (!isPlainObject(body)) return { rules: [], problems: [{ path: 'rules', message: 'is required: send { "rules": [ ... ] }' }] };
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body)) if (key !== 'rules') problems.push({ path: key, message: 'is not a known field' });
  const list = body.rules;
  if (!Array.isArray(list)) return { rules: [], problems: [{ path: 'rules', message: list === undefined || list === null ? 'is required' : 'must be an array' }, ...problems] };
  if (list.length > MAX_CHANNEL_RULES) {
    return { rules: [], problems: [{ path: 'rules', message: `has ${list.length} rules; at most ${MAX_CHANNEL_RULES} are kept` }, ...problems] };
  }
  const rules: StoredChannelRule[] = [];
  const firstIndex = new Map<string, number>();
  list.forEach((raw, index) => {
    const rule = parseRule(raw, `rules[${index}]`, problems);
    if (!rule) return;
    // A rule that tests exactly what an earlier one tests can never apply.
    const key = JSON.stringify([rule.source && [...rule.source].sort(), rule.medium && [...rule.medium].sort()]);
    const earlier = firstIndex.get(key);
    if (earlier !== undefined) problems.push({ path: `rules[${index}]`, message: `tests the same source and medium as rules[${earlier}], which comes first, so it would never apply` });
    else firstIndex.set(key, index);
    rules.push(rule);
  });
  const patterns = rules.reduce((sum, r) => sum + (r.source?.length ?? 0) + (r.medium?.length ?? 0), 0);
  if (patterns > MAX_CHANNEL_PATTERNS) problems.push({ path: 'rules', message: `hold ${patterns} patterns together; at most ${MAX_CHANNEL_PATTERNS}` });
  return { rules, problems: capProblems(problems, 'rules') };
}

function parseRule(raw: unknown, path: string, problems: FieldProblem[]): StoredChannelRule | null {
  if (!isPlainObject(raw)) {
    problems.push({ path, message: 'must be an object' });
    return null;
  }
  const before = problems.length;
  const channel = parseChannel(raw.channel, `${path}.channel`, problems);
  const source = parsePatterns(raw.source, `${path}.source`, problems);
  const medium = parsePatterns(raw.medium, `${path}.medium`, problems);
  if (source === null && medium === null) problems.push({ path, message: 'needs a source or a medium pattern (or both)' });
  for (const key of Object.keys(raw)) if (!RULE_FIELDS.includes(key)) problems.push({ path: `${path}.${key}`, message: 'is not a known field' });
  if (problems.length > before || channel === undefined || source === undefined || medium === undefined) return null;
  return { channel, source, medium };
}

function parseChannel(value: unknown, path: string, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return problems.push({ path, message: 'is required' }), undefined;
  const channel = typeof value === 'string' ? value.trim() : '';
  if (!CHANNEL_NAME.test(channel)) {
    problems.push({ path, message: 'must be a lower-case word of at most 32 letters, digits and _ that starts with a letter (such as partners)' });
    return undefined;
  }
  return channel;
}

/**
 * A rule's test: a pattern or a list of 1 to `MAX_PATTERN_ALTERNATIVES` patterns, normalised and
 * without repeats. Null when absent; undefined when refused (the problems say why).
 */
function parsePatterns(value: unknown, path: string, problems: FieldProblem[]): string[] | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    const pattern = normalisePattern(value);
    const problem = patternProblem(pattern);
    return problem ? (problems.push({ path, message: problem }), undefined) : [pattern];
  }
  if (!Array.isArray(value)) return problems.push({ path, message: 'must be a pattern or a list of patterns' }), undefined;
  if (value.length === 0 || value.length > MAX_PATTERN_ALTERNATIVES) {
    return problems.push({ path, message: `must hold 1 to ${MAX_PATTERN_ALTERNATIVES} patterns` }), undefined;
  }
  const before = problems.length;
  const patterns: string[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string') return problems.push({ path: `${path}[${i}]`, message: 'must be a string' });
    const pattern = normalisePattern(item);
    const problem = patternProblem(pattern);
    if (problem) return problems.push({ path: `${path}[${i}]`, message: problem });
    if (!patterns.includes(pattern)) patterns.push(pattern);
  });
  return problems.length > before ? undefined : patterns;
}

/** A stored rule as the API shows it: a single pattern as text, several as a list; absent tests left out. */
export function ruleDefinition(rule: StoredChannelRule): ChannelRuleDefinition {
  const shown = (patterns: string[]) => (patterns.length === 1 ? patterns[0] : patterns);
  return {
    channel: rule.channel,
    ...(rule.source ? { source: shown(rule.source) } : {}),
    ...(rule.medium ? { medium: shown(rule.medium) } : {}),
  };
}
