import { channelFor, DEFAULT_CHANNEL_RULES } from '@ce/attribution';

describe('channelFor', () => {
  it.each([
    ['(direct)', '(none)', 'direct'],
    ['', '', 'direct'],
    ['newsletter', 'email', 'email'],
    ['Mailchimp', '', 'email'],
    ['google', 'cpc', 'paid_search'],
    ['bing', 'ppc', 'paid_search'],
    ['google', 'organic', 'organic_search'],
    ['duckduckgo', '', 'organic_search'],
    ['facebook', 'paid_social', 'paid_social'],
    ['linkedin', 'cpc', 'paid_social'],
    ['LinkedIn', 'social', 'organic_social'],
    ['t.co', '', 'organic_social'],
    ['youtube', 'cpv', 'video'],
    ['youtube', '', 'video'],
    ['gdn', 'display', 'display'],
    ['partner-network', 'affiliate', 'affiliates'],
    ['techcrunch.com', 'referral', 'referral'],
    ['techcrunch.com', '', 'referral'],
    ['saastr', 'conference', 'events'],
    ['zoom', 'webinar', 'webinar'],
    ['postcard-q3', 'direct_mail', 'direct_mail'],
    ['twilio', 'sms', 'sms'],
    ['somewhere', 'something-else', 'other'],
  ])('puts source %p, medium %p in %s', (source, medium, channel) => {
    expect(channelFor(source, medium)).toBe(channel);
  });

  it('lets rules of an operator\'s own come first', () => {
    const rules = [{ channel: 'partners', source: /^acme$/ }, ...DEFAULT_CHANNEL_RULES];
    expect(channelFor('acme', 'referral', rules)).toBe('partners');
    expect(channelFor('google', 'cpc', rules)).toBe('paid_search');
  });

  it('treats missing values as empty', () => {
    expect(channelFor(null, undefined)).toBe('direct');
  });
});
