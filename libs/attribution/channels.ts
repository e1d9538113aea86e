/**
 * Channel grouping: which channel a touchpoint belongs to, from its source and medium (UTM
 * parameters, or what the ingesting system says). Rules are tried in order; the first whose
 * every given test matches wins. The defaults follow the spirit of common default channel
 * groupings; an operator can put rules of their own in front of them.
 */
export interface ChannelRule {
  channel: string;
  /** Tested against the lower-cased source, e.g. `google`, `newsletter`, `(direct)`. */
  source?: RegExp;
  /** Tested against the lower-cased medium, e.g. `cpc`, `email`, `referral`. */
  medium?: RegExp;
}

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

const SEARCH = /^(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|naver|seznam|startpage|qwant|brave)(\.[a-z.]+)?$/;
const SOCIAL = /^(facebook|fb|instagram|ig|linkedin|lnkd\.in|twitter|x|t\.co|tiktok|reddit|pinterest|snapchat|threads|mastodon|bluesky|whatsapp|telegram|discord|quora|xing)(\.[a-z.]+)?$/;
const VIDEO_SITES = /^(youtube|vimeo|twitch|dailymotion)(\.[a-z.]+)?$/;
const PAID = /^(cpc|ppc|cpm|cpv|cpa|paid.*|.*_paid|sem)$/;

export const DEFAULT_CHANNEL_RULES: readonly ChannelRule[] = [
  { channel: 'direct', source: /^(\(direct\)|direct|)$/, medium: /^(\(none\)|none|\(not set\)|)$/ },
  { channel: 'email', medium: /^(e[-_ ]?mail|newsletter)$/ },
  { channel: 'email', source: /^(e[-_ ]?mail|newsletter|mailchimp|sendgrid|campaign-engine)$/ },
  { channel: 'sms', medium: /^(sms|text|mms)$/ },
  { channel: 'affiliates', medium: /^affiliates?$/ },
  { channel: 'display', medium: /^(display|banner|cpm|expandable|interstitial|programmatic)$/ },
  { channel: 'paid_social', medium: /^(paid[-_ ]?social|social[-_ ]?paid|social[-_ ]?ads?)$/ },
  { channel: 'paid_social', source: SOCIAL, medium: PAID },
  { channel: 'video', source: VIDEO_SITES, medium: PAID },
  { channel: 'video', medium: /^video$/ },
  { channel: 'paid_search', medium: /^(cpc|ppc|paid[-_ ]?search|sem)$/ },
  { channel: 'paid_search', source: SEARCH, medium: PAID },
  { channel: 'organic_search', medium: /^organic$/ },
  { channel: 'organic_search', source: SEARCH },
  { channel: 'organic_social', medium: /^(social|social[-_ ]?network|social[-_ ]?media|sm)$/ },
  { channel: 'organic_social', source: SOCIAL },
  { channel: 'video', source: VIDEO_SITES },
  { channel: 'webinar', medium: /^webinars?$/ },
  { channel: 'events', medium: /^(events?|conference|trade[-_ ]?show|booth)$/ },
  { channel: 'direct_mail', medium: /^(direct[-_ ]?mail|print|postal|mail[-_ ]?piece)$/ },
  { channel: 'referral', medium: /^(referral|link)$/ },
];

/** The channel of a source/medium pair: the first rule that matches, else `referral` for a known source, else `other`. */
export function channelFor(source: string | null | undefined, medium: string | null | undefined, rules: readonly ChannelRule[] = DEFAULT_CHANNEL_RULES): string {
  const s = (source ?? '').trim().toLowerCase();
  const m = (medium ?? '').trim().toLowerCase();
  for (const rule of rules) {
    if (rule.source && !rule.source.test(s)) continue;
    if (rule.medium && !rule.medium.test(m)) continue;
    return rule.channel;
  }
  // A source with no medium that says otherwise is a site that sent the visitor.
  return s !== '' && m === '' ? 'referral' : 'other';
}
