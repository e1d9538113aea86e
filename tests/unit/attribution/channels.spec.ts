import {
  channelFor,
  COMPILED_DEFAULT_CHANNEL_RULES,
  compileChannelRules,
  DEFAULT_CHANNEL_RULES,
  DEFAULT_CHANNELS,
  taxonomyChannels,
} from '@ce/attribution';

describe('channelFor', () => {
  it.each([
    ['(direct)', '(none)', 'direct'],
    ['', '', 'direct'],
    ['direct', '(not set)', 'direct'],
    ['newsletter', 'email', 'email'],
    ['Mailchimp', '', 'email'],
    ['crm', 'E-Mail', 'email'],
    ['google', 'cpc', 'paid_search'],
    ['google.co.uk', 'paid', 'paid_search'],
    ['bing', 'ppc', 'paid_search'],
    ['anything', 'paid search', 'paid_search'],
    ['google', 'organic', 'organic_search'],
    ['duckduckgo', '', 'organic_search'],
    ['google.com', '', 'organic_search'],
    ['facebook', 'paid_social', 'paid_social'],
    ['linkedin', 'cpc', 'paid_social'],
    ['tiktok', 'campaign_paid', 'paid_social'],
    ['anything', 'social-ads', 'paid_social'],
    ['LinkedIn', 'social', 'organic_social'],
    ['t.co', '', 'organic_social'],
    ['lnkd.in', '', 'organic_social'],
    ['youtube', 'cpv', 'video'],
    ['youtube', '', 'video'],
    ['gdn', 'display', 'display'],
    ['partner-network', 'affiliate', 'affiliates'],
    ['techcrunch.com', 'referral', 'referral'],
    ['techcrunch.com', '', 'referral'],
    ['saastr', 'conference', 'events'],
    ['expo', 'trade_show', 'events'],
    ['zoom', 'webinar', 'webinar'],
    ['postcard-q3', 'direct_mail', 'direct_mail'],
    ['twilio', 'sms', 'sms'],
    ['somewhere', 'something-else', 'other'],
  ])('puts source %p, medium %p in %s', (source, medium, channel) => {
    expect(channelFor(source, medium)).toBe(channel);
  });

  it('does not take a look-alike of a known site for the site', () => {
    // `t.co` is Twitter's; `tXco` is not, the dot being a dot.
    expect(channelFor('tXco', '')).toBe('referral');
    expect(channelFor('googleads', '')).toBe('referral');
  });

  it("lets rules of an operator's own come first", () => {
    const rules = [...compileChannelRules([{ channel: 'partners', source: 'acme*' }, { channel: 'email', medium: 'cpc', source: 'google' }]), ...COMPILED_DEFAULT_CHANNEL_RULES];
    expect(channelFor('acme', 'referral', rules)).toBe('partners');
    expect(channelFor('ACME.io', 'cpc', rules)).toBe('partners');
    expect(channelFor('google', 'cpc', rules)).toBe('email');
    expect(channelFor('bing', 'cpc', rules)).toBe('paid_search');
  });

  it('needs every test of a rule to match', () => {
    const rules = compileChannelRules([{ channel: 'partners', source: 'acme', medium: 'partner' }]);
    expect(channelFor('acme', 'partner', rules)).toBe('partners');
    expect(channelFor('acme', 'cpc', rules)).toBe('other');
    expect(channelFor('acme', '', rules)).toBe('referral');
  });

  it('treats missing values as empty', () => {
    expect(channelFor(null, undefined)).toBe('direct');
  });

  it('assigns only the default channels by default', () => {
    const assigned = new Set(DEFAULT_CHANNEL_RULES.map((r) => r.channel));
    for (const channel of assigned) expect(DEFAULT_CHANNELS).toContain(channel);
  });

  it("lists the operator's channels first, then the defaults', each once", () => {
    const channels = taxonomyChannels([{ channel: 'partners', source: 'acme' }, { channel: 'email', medium: 'crm' }, { channel: 'partners', source: 'beta' }]);
    expect(channels.slice(0, 2)).toEqual(['partners', 'email']);
    expect(channels).toHaveLength(1 + DEFAULT_CHANNELS.length);
  });
});
