/**
 * Channel grouping: which channel a touchpoint belongs to, from its source and medium (UTM
 * parameters, or what the ingesting system says). Rules are tried in order; the first whose
 * every given test matches wins. The defaults follow the spirit of common default channel
 * groupings; an operator can put rules of their own in front of them (`PUT /v1/channel-rules`).
 *
 * A rule's tests are patterns, matched against the lower-cased, trimmed value: an exact value
 * (`newsletter`), a value with `*` wildcards (`google*`, `*newsletter*`), or a list of such
 * alternatives. Patterns are never turned into regular expressions: every character but `*` is
 * literal, and a `*` matches any run of characters, found by plain substring search in time
 * linear in the value's length for each `*`. So a pattern cannot make matching slow (no ReDoS),
 * whatever it holds.
 */

/** A rule as an operator writes it, and as the API shows the defaults. */
export interface ChannelRuleDefinition {
  channel: string;
  /** Pattern(s) for the source, e.g. `google`, `google.*`, `(direct)`. */
  source?: string | readonly string[];
  /** Pattern(s) for the medium, e.g. `cpc`, `*email*`, `referral`. */
  medium?: string | readonly string[];
}

/** Whether a lower-cased, trimmed value matches. */
export type ValueTest = (value: string) => boolean;

/** A rule ready for `channelFor`: each given test is a compiled pattern. */
export interface CompiledChannelRule {
  channel: string;
  source?: ValueTest;
  medium?: ValueTest;
}

/** The longest pattern, in characters (UTM values are at most 200). */
export const MAX_PATTERN_LENGTH = 200;
/** The most `*` one pattern may hold. */
export const MAX_PATTERN_WILDCARDS = 8;
/** The most alternatives one list of patterns may hold. */
export const MAX_PATTERN_ALTERNATIVES = 50;

/** A channel name: a lower-case word that fits `touchpoints.channel` (varchar(32)). */
export const CHANNEL_NAME = /^[a-z][a-z0-9_]{0,31}$/;

/** The channels the defaults assign, in the order reports list them. */
export const DEFAULT_CHANNELS = [
  'email',
  'paid_search',
  'organic_search',
  'paid_social',
  'organic_social',
  'display',
  'video',
  'affiliates',
  'referral',
  'events',
  'webinar',
  'direct_mail',
  'sms',
  'direct',
  'other',
] as const;

/** What is left when no rule matches: `referral` for a source without a medium, else `other`. */
export const FALLBACK_CHANNELS = [
  { channel: 'referral', when: 'a source that no rule matches, with no medium' },
  { channel: 'other', when: 'anything else no rule matches' },
] as const;

/** A site by its name, alone or with a domain: `google`, `google.com`, `google.co.uk`. */
const sites = (...names: string[]): string[] => names.flatMap((name) => [name, `${name}.*`]);
/** Two words written together or joined by `-`, `_` or a space: `paidsocial`, `paid-social`, … */
const joined = (first: string, second: string): string[] => ['', '-', '_', ' '].map((glue) => `${first}${glue}${second}`);

const SEARCH = sites('google', 'bing', 'yahoo', 'duckduckgo', 'baidu', 'yandex', 'ecosia', 'naver', 'seznam', 'startpage', 'qwant', 'brave');
const SOCIAL = sites(
  'facebook', 'fb', 'instagram', 'ig', 'linkedin', 'lnkd.in', 'twitter', 'x', 't.co', 'tiktok', 'reddit', 'pinterest',
  'snapchat', 'threads', 'mastodon', 'bluesky', 'whatsapp', 'telegram', 'discord', 'quora', 'xing',
);
const VIDEO_SITES = sites('youtube', 'vimeo', 'twitch', 'dailymotion');
const PAID = ['cpc', 'ppc', 'cpm', 'cpv', 'cpa', 'paid*', '*_paid', 'sem'];
const EMAIL = ['email', 'e-mail', 'e_mail', 'e mail', 'newsletter'];

/** The built-in rules, tried after the operator's own. */
export const DEFAULT_CHANNEL_RULES: readonly ChannelRuleDefinition[] = [
  { channel: 'direct', source: ['(direct)', 'direct', ''], medium: ['(none)', 'none', '(not set)', ''] },
  { channel: 'email', medium: EMAIL },
  { channel: 'email', source: [...EMAIL, 'mailchimp', 'sendgrid', 'campaign-engine'] },
  { channel: 'sms', medium: ['sms', 'text', 'mms'] },
  { channel: 'affiliates', medium: ['affiliate', 'affiliates'] },
  { channel: 'display', medium: ['display', 'banner', 'cpm', 'expandable', 'interstitial', 'programmatic'] },
  { channel: 'paid_social', medium: [...joined('paid', 'social'), ...joined('social', 'paid'), ...joined('social', 'ad'), ...joined('social', 'ads')] },
  { channel: 'paid_social', source: SOCIAL, medium: PAID },
  { channel: 'video', source: VIDEO_SITES, medium: PAID },
  { channel: 'video', medium: 'video' },
  { channel: 'paid_search', medium: ['cpc', 'ppc', ...joined('paid', 'search'), 'sem'] },
  { channel: 'paid_search', source: SEARCH, medium: PAID },
  { channel: 'organic_search', medium: 'organic' },
  { channel: 'organic_search', source: SEARCH },
  { channel: 'organic_social', medium: ['social', ...joined('social', 'network'), ...joined('social', 'media'), 'sm'] },
  { channel: 'organic_social', source: SOCIAL },
  { channel: 'video', source: VIDEO_SITES },
  { channel: 'webinar', medium: ['webinar', 'webinars'] },
  { channel: 'events', medium: ['event', 'events', 'conference', ...joined('trade', 'show'), 'booth'] },
  { channel: 'direct_mail', medium: [...joined('direct', 'mail'), 'print', 'postal', ...joined('mail', 'piece')] },
  { channel: 'referral', medium: ['referral', 'link'] },
];

/** A pattern as it is matched: trimmed, lower-cased, runs of `*` made one. */
export function normalisePattern(pattern: string): string {
  return pattern.trim().toLowerCase().replace(/\*{2,}/g, '*');
}

/** Why a (normalised) pattern is refused, or null when it is fine. An empty pattern matches an empty or missing value. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'must not hold control characters';
  const wildcards = pattern.split('*').length - 1;
  if (wildcards > MAX_PATTERN_WILDCARDS) return `must hold at most ${MAX_PATTERN_WILDCARDS} * wildcards`;
  return null;
}

/**
 * Compiles a pattern, or a list of alternatives, into a test. Exact values are looked up in a
 * set; patterns with `*` are matched piece by piece. Refuses (RangeError) what `patternProblem`
 * refuses, and lists longer than `MAX_PATTERN_ALTERNATIVES` or empty.
 */
export function compilePattern(patterns: string | readonly string[]): ValueTest {
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  if (list.length === 0 || list.length > MAX_PATTERN_ALTERNATIVES) throw new RangeError(`a list of patterns must hold 1 to ${MAX_PATTERN_ALTERNATIVES} patterns`);
  const exact = new Set<string>();
  const wild: string[][] = [];
  for (const raw of list) {
    const pattern = normalisePattern(raw);
    const problem = patternProblem(pattern);
    if (problem) throw new RangeError(`pattern "${pattern.slice(0, 40)}" ${problem}`);
    if (pattern.includes('*')) wild.push(pattern.split('*'));
    else exact.add(pattern);
  }
  return (value) => exact.has(value) || wild.some((pieces) => matchesPieces(pieces, value));
}

/**
 * Whether the value matches a pattern split at its `*`s: it starts with the first piece, ends
 * with the last, and holds the ones between in order, without overlapping. Taking each middle
 * piece at its first place leaves the most room for the rest, so no backtracking is needed.
 */
function matchesPieces(pieces: readonly string[], value: string): boolean {
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  const end = value.length - last.length;
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = value.indexOf(pieces[i], at);
    if (found < 0 || found + pieces[i].length > end) return false;
    at = found + pieces[i].length;
  }
  return true;
}

/** Compiles rules for `channelFor`, keeping their order. */
export function compileChannelRules(rules: readonly ChannelRuleDefinition[]): CompiledChannelRule[] {
  return rules.map((rule) => ({
    channel: rule.channel,
    ...(rule.source !== undefined ? { source: compilePattern(rule.source) } : {}),
    ...(rule.medium !== undefined ? { medium: compilePattern(rule.medium) } : {}),
  }));
}

/** The defaults, compiled once. */
export const COMPILED_DEFAULT_CHANNEL_RULES: readonly CompiledChannelRule[] = compileChannelRules(DEFAULT_CHANNEL_RULES);

/** Every channel a taxonomy can yield: the operator's rules' channels first, then the defaults'. */
export function taxonomyChannels(operatorRules: readonly ChannelRuleDefinition[]): string[] {
  return [...new Set([...operatorRules.map((r) => r.channel), ...DEFAULT_CHANNELS])];
}

/** The channel of a source/medium pair: the first rule that matches, else `referral` for a known source, else `other`. */
export function channelFor(
  source: string | null | undefined,
  medium: string | null | undefined,
  rules: readonly CompiledChannelRule[] = COMPILED_DEFAULT_CHANNEL_RULES,
): string {
  const s = (source ?? '').trim().toLowerCase();
  const m = (medium ?? '').trim().toLowerCase();
  for (const rule of rules) {
    if (rule.source && !rule.source(s)) continue;
    if (rule.medium && !rule.medium(m)) continue;
    return rule.channel;
  }
  // A source with no medium that says otherwise is a site that sent the visitor.
  return s !== '' && m === '' ? 'referral' : 'other';
}
