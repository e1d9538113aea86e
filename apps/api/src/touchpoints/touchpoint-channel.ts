import { channelFor, COMPILED_DEFAULT_CHANNEL_RULES, CompiledChannelRule, DEFAULT_CHANNELS } from '@ce/attribution';

/**
 * Touchpoint types that name a channel of their own. A type that is itself one of the default
 * channels (`paid_search`, `webinar`, `direct_mail`, …) maps to that channel too.
 */
const CHANNEL_BY_TYPE: Readonly<Record<string, string>> = {
  event: 'events',
  conference: 'events',
  trade_show: 'events',
  booth: 'events',
  meetup: 'events',
  webinars: 'webinar',
  mail: 'direct_mail',
  postcard: 'direct_mail',
  social: 'organic_social',
  open: 'email',
  click: 'email',
  email_open: 'email',
  email_click: 'email',
  text: 'sms',
};

const DEFAULT_CHANNEL_SET: ReadonlySet<string> = new Set(DEFAULT_CHANNELS);

/**
 * The channel of a touchpoint that has no UTM source or medium, from its type alone: `direct`
 * for a direct visit, `events` for an event, `webinar`, `direct_mail`, `referral`, … and
 * `other` for a type that says nothing about the channel (a `visit`, an `ad_click`).
 */
export function channelForType(type: string): string {
  const key = type.trim().toLowerCase();
  if (DEFAULT_CHANNEL_SET.has(key)) return key;
  return CHANNEL_BY_TYPE[key] ?? 'other';
}

export interface ChannelHints {
  /** The channel the client named; it always wins. */
  channel?: string | null;
  type: string;
  utm?: { source?: string | null; medium?: string | null } | null;
}

/**
 * A touchpoint's channel: the one the client named; else the channel grouping of its UTM source
 * and medium, when it has either (`rules`: the operator's rules, then the defaults); else the
 * channel its type implies.
 */
export function touchpointChannel(hints: ChannelHints, rules: readonly CompiledChannelRule[] = COMPILED_DEFAULT_CHANNEL_RULES): string {
  if (hints.channel) return hints.channel;
  const source = hints.utm?.source ?? null;
  const medium = hints.utm?.medium ?? null;
  if (source || medium) return channelFor(source, medium, rules);
  return channelForType(hints.type);
}
