import { MAX_PATTERN_ALTERNATIVES, MAX_PATTERN_LENGTH } from '@ce/attribution';
import { MAX_CHANNEL_RULES, parseChannelRules, ruleDefinition } from '../../../apps/api/src/channel-rules/channel-rule-input';

const paths = (body: unknown) => parseChannelRules(body).problems.map((p) => p.path);

describe('parseChannelRules', () => {
  it('normalises patterns and keeps the order of the rules', () => {
    const { rules, problems } = parseChannelRules({
      rules: [
        { channel: 'partners', source: ['  ACME*', 'acme*', 'Beta.io'] },
        { channel: 'partner_email', source: 'acme', medium: '*Newsletter*' },
        { channel: 'no_medium', medium: '' },
      ],
    });
    expect(problems).toEqual([]);
    expect(rules).toEqual([
      { channel: 'partners', source: ['acme*', 'beta.io'], medium: null },
      { channel: 'partner_email', source: ['acme'], medium: ['*newsletter*'] },
      { channel: 'no_medium', source: null, medium: [''] },
    ]);
    expect(rules.map(ruleDefinition)).toEqual([
      { channel: 'partners', source: ['acme*', 'beta.io'] },
      { channel: 'partner_email', source: 'acme', medium: '*newsletter*' },
      { channel: 'no_medium', medium: '' },
    ]);
  });

  it('takes an empty list: only the defaults are left', () => {
    expect(parseChannelRules({ rules: [] })).toEqual({ rules: [], problems: [] });
  });

  it('names every problem by path at once', () => {
    const { rules, problems } = parseChannelRules({
      rules: [
        { channel: 'Partners', source: 'acme' },
        { channel: 'ok' },
        { channel: 'x'.repeat(33), medium: 7 },
        { source: ['fine', 3, 'y'.repeat(MAX_PATTERN_LENGTH + 1)], medium: [] },
        'not a rule',
        { channel: 'ok', source: '*a*a*a*a*a*a*a*a*a*', colour: 'red' },
      ],
      extra: true,
    });
    expect(rules).toEqual([]);
    expect(problems.map((p) => p.path)).toEqual([
      'extra',
      'rules[0].channel',
      'rules[1]',
      'rules[2].channel',
      'rules[2].medium',
      'rules[3].channel',
      'rules[3].source[1]',
      'rules[3].source[2]',
      'rules[3].medium',
      'rules[4]',
      'rules[5].source',
      'rules[5].colour',
    ]);
    expect(problems.find((p) => p.path === 'rules[1]')?.message).toBe('needs a source or a medium pattern (or both)');
    expect(problems.find((p) => p.path === 'rules[5].colour')?.message).toBe('is not a known field');
  });

  it('refuses a rule that tests what an earlier one tests, since it would never apply', () => {
    const { problems } = parseChannelRules({
      rules: [
        { channel: 'a', source: ['x', 'y'], medium: 'm' },
        { channel: 'b', source: ['Y', 'x'], medium: 'm' },
        { channel: 'c', source: ['x', 'y'] },
      ],
    });
    expect(problems).toEqual([{ path: 'rules[1]', message: 'tests the same source and medium as rules[0], which comes first, so it would never apply' }]);
  });

  it('refuses a body without a list, or a list that is too long, without looking further', () => {
    expect(paths(undefined)).toEqual(['rules']);
    expect(paths({})).toEqual(['rules']);
    expect(paths({ rules: 'x' })).toEqual(['rules']);
    expect(paths({ rules: Array.from({ length: MAX_CHANNEL_RULES + 1 }, (_, i) => ({ channel: 'c', source: `s${i}` })) })).toEqual(['rules']);
    expect(paths({ rules: Array.from({ length: MAX_CHANNEL_RULES }, (_, i) => ({ channel: 'c', source: `s${i}` })) })).toEqual([]);
  });

  it('caps the patterns of all rules together', () => {
    const many = Array.from({ length: MAX_PATTERN_ALTERNATIVES }, (_, i) => `v${i}`);
    const rules = Array.from({ length: 41 }, (_, i) => ({ channel: 'c', source: many, medium: `m${i}` }));
    expect(parseChannelRules({ rules }).problems).toEqual([{ path: 'rules', message: 'hold 2091 patterns together; at most 2000' }]);
  });
});
