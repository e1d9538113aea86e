import {
  compileChannelRules,
  compilePattern,
  DEFAULT_CHANNEL_RULES,
  MAX_PATTERN_ALTERNATIVES,
  MAX_PATTERN_LENGTH,
  MAX_PATTERN_WILDCARDS,
  normalisePattern,
  patternProblem,
} from '@ce/attribution';

/** Values are matched lower-cased and trimmed; channelFor does that before testing. */
const matches = (pattern: string | string[], value: string) => compilePattern(pattern)(value);

describe('channel rule patterns', () => {
  it('matches an exact value, and nothing longer or shorter', () => {
    expect(matches('newsletter', 'newsletter')).toBe(true);
    expect(matches('newsletter', 'newsletters')).toBe(false);
    expect(matches('newsletter', 'my-newsletter')).toBe(false);
    expect(matches('newsletter', 'newslette')).toBe(false);
  });

  it('matches an empty pattern only to an empty value', () => {
    expect(matches('', '')).toBe(true);
    expect(matches('', 'x')).toBe(false);
  });

  it('lets * stand for any run of characters, none included', () => {
    expect(matches('google*', 'google')).toBe(true);
    expect(matches('google*', 'google.co.uk')).toBe(true);
    expect(matches('google*', 'news.google.com')).toBe(false);
    expect(matches('*_paid', 'social_paid')).toBe(true);
    expect(matches('*_paid', 'social_paid_2')).toBe(false);
    expect(matches('*newsletter*', 'newsletter')).toBe(true);
    expect(matches('*newsletter*', 'weekly-newsletter-nov')).toBe(true);
    expect(matches('*newsletter*', 'news-letter')).toBe(false);
    expect(matches('*', '')).toBe(true);
    expect(matches('*', 'anything at all')).toBe(true);
  });

  it('finds the pieces between wildcards in order, without overlap', () => {
    expect(matches('a*b*c', 'a-b-c')).toBe(true);
    expect(matches('a*b*c', 'abc')).toBe(true);
    expect(matches('a*b*c', 'a-c-b')).toBe(false);
    expect(matches('ab*ba', 'aba')).toBe(false);
    expect(matches('ab*ba', 'abba')).toBe(true);
    expect(matches('*aa*aa*', 'aaa')).toBe(false);
    expect(matches('*aa*aa*', 'aaaa')).toBe(true);
    expect(matches('x*y*z', 'x-y-y-z')).toBe(true);
  });

  it('matches any of a list of alternatives, exact or with wildcards', () => {
    const test = compilePattern(['email', 'e-mail', '*newsletter*']);
    expect(test('email')).toBe(true);
    expect(test('e-mail')).toBe(true);
    expect(test('the-newsletter')).toBe(true);
    expect(test('mail')).toBe(false);
  });

  it('takes every character but * literally, regular-expression ones included', () => {
    expect(matches('t.co', 't.co')).toBe(true);
    expect(matches('t.co', 'tXco')).toBe(false);
    expect(matches('(direct)', '(direct)')).toBe(true);
    expect(matches('(direct)', 'direct')).toBe(false);
    expect(matches('c++', 'c++')).toBe(true);
    expect(matches('c++', 'cc')).toBe(false);
    expect(matches('a?b', 'ab')).toBe(false);
    expect(matches('[ab]', 'a')).toBe(false);
    expect(matches('[ab]', '[ab]')).toBe(true);
    expect(matches('^x$|y', 'y')).toBe(false);
    expect(matches('^x$|y', '^x$|y')).toBe(true);
    expect(matches('a\\d', 'a1')).toBe(false);
    expect(matches('a\\d', 'a\\d')).toBe(true);
    expect(matches('.*', 'anything')).toBe(false);
    expect(matches('.*', '.x')).toBe(true);
    expect(matches('(a+)+*', '(a+)+ and more')).toBe(true);
  });

  it('answers at once for a pattern built to make a backtracking matcher slow', () => {
    // The classic catastrophic cases for regular expressions; here each * is one substring search.
    expect(matches('*a*a*a*a*a*a*a*b', 'a'.repeat(MAX_PATTERN_LENGTH))).toBe(false);
    expect(matches('(a+)+b', 'a'.repeat(MAX_PATTERN_LENGTH))).toBe(false);
  });

  it('is trimmed, lower-cased and runs of * made one', () => {
    expect(normalisePattern('  Google**  ')).toBe('google*');
    expect(matches('  ACME.*  ', 'acme.io')).toBe(true);
  });

  it('refuses patterns over the caps', () => {
    expect(patternProblem('x'.repeat(MAX_PATTERN_LENGTH))).toBeNull();
    expect(patternProblem('x'.repeat(MAX_PATTERN_LENGTH + 1))).toBe(`must be at most ${MAX_PATTERN_LENGTH} characters`);
    expect(patternProblem('*a'.repeat(MAX_PATTERN_WILDCARDS))).toBeNull();
    expect(patternProblem('*a'.repeat(MAX_PATTERN_WILDCARDS + 1))).toBe(`must hold at most ${MAX_PATTERN_WILDCARDS} * wildcards`);
    expect(patternProblem('a\nb')).toBe('must not hold control characters');
    expect(() => compilePattern('x'.repeat(MAX_PATTERN_LENGTH + 1))).toThrow(RangeError);
    expect(() => compilePattern('*a'.repeat(MAX_PATTERN_WILDCARDS + 1))).toThrow(RangeError);
    expect(() => compilePattern([])).toThrow(RangeError);
    expect(() => compilePattern(Array.from({ length: MAX_PATTERN_ALTERNATIVES + 1 }, (_, i) => `v${i}`))).toThrow(RangeError);
    expect(compilePattern(Array.from({ length: MAX_PATTERN_ALTERNATIVES }, (_, i) => `v${i}`))('v49')).toBe(true);
  });

  it('counts repeated * once against the cap, as they match the same', () => {
    expect(patternProblem(normalisePattern(`a${'*'.repeat(50)}b`))).toBeNull();
  });

  it('compiles the default rules, which stay within the caps', () => {
    const compiled = compileChannelRules(DEFAULT_CHANNEL_RULES);
    expect(compiled).toHaveLength(DEFAULT_CHANNEL_RULES.length);
    expect(compiled.every((rule) => rule.source || rule.medium)).toBe(true);
  });
});
