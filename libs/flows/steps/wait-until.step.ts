import { DateTime, IANAZone } from 'luxon';
import { FlowProblem, FlowStep, StepContext, StepTypeDefinition } from '../flow.types';
import { isObject, NEXT_SCHEMA, nextOf, unknownSettings } from './step-helpers';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Which clock a step reads: `lead` (the lead's time zone, else the campaign's), `campaign`, or
 * an IANA zone such as `Europe/Berlin`.
 */
export function resolveZone(setting: unknown, zones: StepContext['timeZones']): string {
  if (setting === 'campaign') return zones.campaign;
  if (setting === undefined || setting === 'lead') return zones.lead && IANAZone.isValidZone(zones.lead) ? zones.lead : zones.campaign;
  return String(setting);
}

function checkZone(value: unknown): FlowProblem[] {
  if (value === undefined || value === 'lead' || value === 'campaign') return [];
  return typeof value === 'string' && IANAZone.isValidZone(value)
    ? []
    : [{ path: 'timeZone', message: 'must be "lead", "campaign" or an IANA time zone such as "Europe/Berlin"' }];
}

function minutesOf(clock: string): number {
  const [, h, m] = CLOCK.exec(clock)!;
  return Number(h) * 60 + Number(m);
}

/** The moment `at` names: an absolute time if it has an offset, else a local time in `zone`. */
function atMillis(at: string, zone: string): number {
  return DateTime.fromISO(at, { zone }).toMillis();
}

/**
 * The first moment at or after `now` inside the window on an allowed day, in `zone`. Days are
 * walked as calendar days, so a daylight-saving change moves the window with the clock; a start
 * time that does not exist that day (skipped by a change) is moved forward by the change.
 */
export function nextWindowStart(now: number, zone: string, from: string, to: string, days: readonly string[]): number {
  const local = DateTime.fromMillis(now, { zone });
  for (let offset = 0; offset <= 7; offset++) {
    const day = local.startOf('day').plus({ days: offset });
    if (!days.includes(WEEKDAYS[day.weekday - 1])) continue;
    const at = (clock: string) =>
      DateTime.fromObject(
        { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutesOf(clock) / 60), minute: minutesOf(clock) % 60 },
        { zone },
      ).toMillis();
    const startAt = at(from);
    const endAt = at(to);
    if (now < startAt) return startAt;
    if (now < endAt) return now;
  }
  return now;
}

function daysOf(step: FlowStep): readonly string[] {
  return Array.isArray(step.days) ? (step.days as string[]) : WEEKDAYS;
}

/** `wait_until`: a date, or the next time-of-day window, in the lead's or the campaign's time zone. */
export const waitUntilStep: StepTypeDefinition = {
  type: 'wait_until',
  kind: 'control',
  description:
    'Holds the lead until a date (`at`) or until a time-of-day window (`window`, optionally on some `days`), ' +
    "in the lead's time zone, the campaign's, or a named one. A lead already inside the window goes straight on.",
  schema: {
    type: 'object',
    properties: {
      at: { type: 'string', description: 'ISO 8601; without an offset it is read in `timeZone`.', examples: ['2026-12-01T09:00'] },
      window: {
        type: 'object',
        required: ['from', 'to'],
        properties: { from: { type: 'string', pattern: '^HH:MM$' }, to: { type: 'string', pattern: '^HH:MM$' } },
      },
      days: { type: 'array', items: { enum: WEEKDAYS }, description: 'Days the window opens; all days when absent.' },
      timeZone: { type: 'string', default: 'lead', description: '"lead", "campaign" or an IANA time zone.' },
      next: NEXT_SCHEMA,
    },
  },
  validate(step) {
    const problems: FlowProblem[] = [...unknownSettings(step, ['at', 'window', 'days', 'timeZone']), ...checkZone(step.timeZone)];
    const hasAt = step.at !== undefined;
    const hasWindow = step.window !== undefined;
    if (hasAt === hasWindow) return [...problems, { path: '', message: 'give either at (a date) or window (a time of day)' }];
    if (hasAt) {
      // Luxon checks the calendar too: 2026-02-30 or 25:00 are not dates.
      const valid = typeof step.at === 'string' && step.at.length <= 64 && DateTime.fromISO(step.at, { zone: 'UTC' }).isValid;
      if (!valid) problems.push({ path: 'at', message: 'must be an ISO 8601 date or date-time, e.g. "2026-12-01T09:00"' });
      if (step.days !== undefined) problems.push({ path: 'days', message: 'days go with window, not at' });
      return problems;
    }
    const window = step.window;
    if (!isObject(window)) return [...problems, { path: 'window', message: 'must be an object with from and to ("HH:MM")' }];
    for (const key of ['from', 'to'] as const)
      if (typeof window[key] !== 'string' || !CLOCK.test(window[key] as string))
        problems.push({ path: `window.${key}`, message: 'must be a time of day "HH:MM" (24-hour)' });
    if (problems.length === 0 && minutesOf(String(window.from)) >= minutesOf(String(window.to)))
      problems.push({ path: 'window', message: 'from must be earlier than to' });
    if (step.days !== undefined) {
      const days = step.days;
      if (!Array.isArray(days) || days.length === 0 || days.some((d) => !WEEKDAYS.includes(d)))
        problems.push({ path: 'days', message: `must list days among ${WEEKDAYS.join(', ')}` });
    }
    return problems;
  },
  successors: nextOf,
  // Not a hold for loops: inside the window, or past the date, the lead goes straight on.
  enter(step, context) {
    const zone = resolveZone(step.timeZone, context.timeZones);
    const next = nextOf(step)[0] ?? null;
    if (typeof step.at === 'string') return { kind: 'sleep', until: Math.max(context.now, atMillis(step.at, zone)), next };
    const window = step.window as { from: string; to: string };
    return { kind: 'sleep', until: nextWindowStart(context.now, zone, window.from, window.to, daysOf(step)), next };
  },
};
