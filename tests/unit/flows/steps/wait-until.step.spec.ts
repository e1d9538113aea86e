import { DateTime } from 'luxon';
import { FlowStep, resolveZone, StepContext } from '@ce/flows';
import { controlStep, stepContext } from '../flow-kit';

const waitUntil = controlStep('wait_until');

/** The moment the lead is held until, entering `step` at `now` (ISO) with the given zones. */
function heldUntil(step: Omit<FlowStep, 'type'>, now: string, timeZones: StepContext['timeZones'] = { lead: null, campaign: 'UTC' }): string {
  const outcome = waitUntil.enter!({ type: 'wait_until', ...step }, stepContext({ now: Date.parse(now), timeZones }));
  if (outcome.kind !== 'sleep') throw new Error(`expected a sleep, got ${outcome.kind}`);
  return new Date(outcome.until).toISOString();
}

const OFFICE_HOURS = { window: { from: '09:00', to: '17:00' } };

describe('wait_until step: settings', () => {
  it.each<[string, Omit<FlowStep, 'type'>]>([
    ['a local date-time', { at: '2026-12-01T09:00', next: 'b' }],
    ['a date-time with an offset', { at: '2026-12-01T09:00:00+01:00' }],
    ['a date', { at: '2026-12-01', timeZone: 'campaign' }],
    ['a window on some days', { window: { from: '09:00', to: '17:30' }, days: ['mon', 'fri'], timeZone: 'Europe/Berlin' }],
    ['a window every day in the lead\'s zone', { window: { from: '00:00', to: '23:59' }, timeZone: 'lead' }],
  ])('accepts %s', (_label, settings) => {
    expect(waitUntil.validate({ type: 'wait_until', ...settings })).toEqual([]);
  });

  it.each<[string, Omit<FlowStep, 'type'>]>([
    ['neither at nor window', {}],
    ['both at and window', { at: '2026-12-01', window: { from: '09:00', to: '10:00' } }],
  ])('asks for either at or window when given %s', (_label, settings) => {
    expect(waitUntil.validate({ type: 'wait_until', ...settings })).toEqual([
      { path: '', message: 'give either at (a date) or window (a time of day)' },
    ]);
  });

  it.each(['next tuesday', '01/12/2026', 42, '2026-12-01T09:00 +01:00'])('reports the date %p at path at', (at) => {
    expect(waitUntil.validate({ type: 'wait_until', at })).toEqual([
      { path: 'at', message: 'must be an ISO 8601 date or date-time, e.g. "2026-12-01T09:00"' },
    ]);
  });

  it.each(['2026-02-30T09:00', '2026-13-01', '2026-12-01T25:00'])('reports the impossible local date %p at path at', (at) => {
    expect(waitUntil.validate({ type: 'wait_until', at })).toEqual([
      { path: 'at', message: 'must be an ISO 8601 date or date-time, e.g. "2026-12-01T09:00"' },
    ]);
  });

  it('reports days given with a date', () => {
    expect(waitUntil.validate({ type: 'wait_until', at: '2026-12-01', days: ['mon'] })).toEqual([
      { path: 'days', message: 'days go with window, not at' },
    ]);
  });

  it('reports a window that is not an object', () => {
    expect(waitUntil.validate({ type: 'wait_until', window: '09:00-17:00' })).toEqual([
      { path: 'window', message: 'must be an object with from and to ("HH:MM")' },
    ]);
  });

  it.each([
    [{ from: '9:00', to: '17:00' }, 'window.from'],
    [{ from: '09:00', to: '24:00' }, 'window.to'],
    [{ from: '09:00' }, 'window.to'],
    [{ from: '09:60', to: '17:00' }, 'window.from'],
  ])('reports the bad time of day in %p at its path', (window, path) => {
    expect(waitUntil.validate({ type: 'wait_until', window })).toEqual([{ path, message: 'must be a time of day "HH:MM" (24-hour)' }]);
  });

  it.each([
    { from: '17:00', to: '09:00' },
    { from: '09:00', to: '09:00' },
  ])('reports a window %p that does not open before it closes', (window) => {
    expect(waitUntil.validate({ type: 'wait_until', window })).toEqual([{ path: 'window', message: 'from must be earlier than to' }]);
  });

  it.each([[[]], [['monday']], ['mon'], [['mon', 'someday']]])('reports the days %p', (days) => {
    expect(waitUntil.validate({ type: 'wait_until', ...OFFICE_HOURS, days })).toEqual([
      { path: 'days', message: 'must list days among mon, tue, wed, thu, fri, sat, sun' },
    ]);
  });

  it.each(['Mars/Olympus', 'CET+1', '', 5])('reports the time zone %p', (timeZone) => {
    expect(waitUntil.validate({ type: 'wait_until', ...OFFICE_HOURS, timeZone })).toEqual([
      { path: 'timeZone', message: 'must be "lead", "campaign" or an IANA time zone such as "Europe/Berlin"' },
    ]);
  });

  it('reports a setting it does not know', () => {
    expect(waitUntil.validate({ type: 'wait_until', ...OFFICE_HOURS, zone: 'UTC' })).toEqual([
      { path: 'zone', message: 'is not a setting of wait_until steps' },
    ]);
  });

  it('leads to its next step and does not count as a hold for loops', () => {
    expect(waitUntil.successors({ type: 'wait_until', ...OFFICE_HOURS, next: 'b' })).toEqual(['b']);
    expect(waitUntil.holds).toBeFalsy();
    expect(waitUntil.immediateSuccessors).toBeUndefined();
  });
});

describe('wait_until step: a date', () => {
  const berlin = { lead: null, campaign: 'Europe/Berlin' };

  it('takes a date-time with an offset as that moment, whatever the zones', () => {
    expect(heldUntil({ at: '2026-12-01T09:00:00+05:00' }, '2026-11-01T00:00:00Z', berlin)).toBe('2026-12-01T04:00:00.000Z');
    expect(heldUntil({ at: '2026-12-01T09:00:00Z', timeZone: 'America/New_York' }, '2026-11-01T00:00:00Z')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('reads a date-time without an offset in the step\'s zone, winter and summer', () => {
    expect(heldUntil({ at: '2026-12-01T09:00', timeZone: 'Europe/Berlin' }, '2026-11-01T00:00:00Z')).toBe('2026-12-01T08:00:00.000Z');
    expect(heldUntil({ at: '2026-07-01T09:00', timeZone: 'Europe/Berlin' }, '2026-06-01T00:00:00Z')).toBe('2026-07-01T07:00:00.000Z');
  });

  it('reads a date-time without an offset in the lead\'s zone by default', () => {
    const zones = { lead: 'America/New_York', campaign: 'Europe/Berlin' };
    expect(heldUntil({ at: '2026-12-01T09:00' }, '2026-11-01T00:00:00Z', zones)).toBe('2026-12-01T14:00:00.000Z');
  });

  it('reads a bare date as the start of that day in the zone', () => {
    expect(heldUntil({ at: '2026-12-01' }, '2026-11-01T00:00:00Z', berlin)).toBe('2026-11-30T23:00:00.000Z');
  });

  it('reads a local date-time written with seconds and milliseconds in the step\'s zone too', () => {
    expect(heldUntil({ at: '2026-12-01T09:00:00.000', timeZone: 'Europe/Berlin' }, '2026-11-01T00:00:00Z')).toBe('2026-12-01T08:00:00.000Z');
  });

  it('lets the lead go straight on when the date has passed', () => {
    expect(heldUntil({ at: '2026-01-01T09:00:00Z' }, '2026-03-02T10:11:12Z')).toBe('2026-03-02T10:11:12.000Z');
  });

  it('goes to next afterwards', () => {
    const outcome = waitUntil.enter!({ type: 'wait_until', at: '2026-12-01', next: 'b' }, stepContext());
    expect(outcome).toMatchObject({ kind: 'sleep', next: 'b' });
  });
});

describe('wait_until step: a window', () => {
  // 2026-03-02 is a Monday.
  it('waits for today\'s window when it has not opened yet', () => {
    expect(heldUntil(OFFICE_HOURS, '2026-03-02T07:30:00Z')).toBe('2026-03-02T09:00:00.000Z');
  });

  it('lets a lead inside the window go straight on, from the minute it opens', () => {
    expect(heldUntil(OFFICE_HOURS, '2026-03-02T12:34:56Z')).toBe('2026-03-02T12:34:56.000Z');
    expect(heldUntil(OFFICE_HOURS, '2026-03-02T09:00:00Z')).toBe('2026-03-02T09:00:00.000Z');
  });

  it('waits for tomorrow\'s window once today\'s has closed, the closing minute included', () => {
    expect(heldUntil(OFFICE_HOURS, '2026-03-02T17:00:00Z')).toBe('2026-03-03T09:00:00.000Z');
    expect(heldUntil(OFFICE_HOURS, '2026-03-02T23:59:00Z')).toBe('2026-03-03T09:00:00.000Z');
  });

  it('opens on allowed days only: Friday evening waits for Monday', () => {
    const weekdays = { ...OFFICE_HOURS, days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
    expect(heldUntil(weekdays, '2026-03-06T18:00:00Z')).toBe('2026-03-09T09:00:00.000Z');
    expect(heldUntil(weekdays, '2026-03-07T10:00:00Z')).toBe('2026-03-09T09:00:00.000Z');
  });

  it('waits a whole week when the only allowed day\'s window has just closed', () => {
    expect(heldUntil({ ...OFFICE_HOURS, days: ['mon'] }, '2026-03-02T18:00:00Z')).toBe('2026-03-09T09:00:00.000Z');
  });

  it('reads the weekday in the zone: late Friday in UTC is already Saturday in Berlin', () => {
    const weekdays = { ...OFFICE_HOURS, days: ['fri', 'sat'] };
    // Friday 23:30 UTC: after Friday's window in UTC, Saturday 00:30 in Berlin.
    expect(heldUntil(weekdays, '2026-03-06T23:30:00Z')).toBe('2026-03-07T09:00:00.000Z');
    expect(heldUntil({ ...weekdays, timeZone: 'Europe/Berlin' }, '2026-03-06T23:30:00Z')).toBe('2026-03-07T08:00:00.000Z');
  });

  describe('across daylight-saving changes, a 09:00 window opens at 09:00 local time', () => {
    it.each([
      ['Europe/Berlin', 'the day before spring forward', '2026-03-27T12:00:00Z', '2026-03-28T08:00:00.000Z', 60],
      ['Europe/Berlin', 'the day of spring forward', '2026-03-28T12:00:00Z', '2026-03-29T07:00:00.000Z', 120],
      ['America/New_York', 'the day before spring forward', '2026-03-06T18:00:00Z', '2026-03-07T14:00:00.000Z', -300],
      ['America/New_York', 'the day of spring forward', '2026-03-07T18:00:00Z', '2026-03-08T13:00:00.000Z', -240],
      ['Europe/Berlin', 'the day before fall back', '2026-10-23T12:00:00Z', '2026-10-24T07:00:00.000Z', 120],
      ['Europe/Berlin', 'the day of fall back', '2026-10-24T12:00:00Z', '2026-10-25T08:00:00.000Z', 60],
      ['America/New_York', 'the day before fall back', '2026-10-30T18:00:00Z', '2026-10-31T13:00:00.000Z', -240],
      ['America/New_York', 'the day of fall back', '2026-10-31T18:00:00Z', '2026-11-01T14:00:00.000Z', -300],
    ])('in %s on %s', (zone, _day, now, expected, offsetMinutes) => {
      const until = heldUntil({ window: { from: '09:00', to: '10:00' }, timeZone: zone }, now);
      expect(until).toBe(expected);
      const local = DateTime.fromISO(until, { zone });
      expect(local.toFormat('HH:mm')).toBe('09:00');
      expect(local.offset).toBe(offsetMinutes);
    });

    it('keeps 09:00 local when waiting over the weekend of the change', () => {
      // Friday before Berlin's spring forward, Monday's window only: Monday 09:00 CEST.
      const until = heldUntil({ window: { from: '09:00', to: '10:00' }, days: ['mon'], timeZone: 'Europe/Berlin' }, '2026-03-27T12:00:00Z');
      expect(until).toBe('2026-03-30T07:00:00.000Z');
    });

    it('moves a window start that the change skips forward by the change', () => {
      // 02:30 does not exist in Berlin on 2026-03-29: clocks go from 02:00 to 03:00.
      const until = heldUntil({ window: { from: '02:30', to: '04:00' }, timeZone: 'Europe/Berlin' }, '2026-03-29T00:00:00Z');
      expect(until).toBe('2026-03-29T01:30:00.000Z');
      expect(DateTime.fromISO(until, { zone: 'Europe/Berlin' }).toFormat('HH:mm')).toBe('03:30');
    });
  });
});

describe('wait_until step: whose clock', () => {
  const window = { window: { from: '09:00', to: '10:00' } };
  const now = '2026-03-02T00:00:00Z';

  it('reads the lead\'s zone by default', () => {
    expect(heldUntil(window, now, { lead: 'America/New_York', campaign: 'Europe/Berlin' })).toBe('2026-03-02T14:00:00.000Z');
  });

  it('falls back to the campaign\'s zone when the lead has none', () => {
    expect(heldUntil(window, now, { lead: null, campaign: 'Europe/Berlin' })).toBe('2026-03-02T08:00:00.000Z');
  });

  it('falls back to the campaign\'s zone when the lead\'s zone is not a real zone', () => {
    expect(heldUntil(window, now, { lead: 'Mars/Olympus', campaign: 'Europe/Berlin' })).toBe('2026-03-02T08:00:00.000Z');
    expect(resolveZone('lead', { lead: 'Mars/Olympus', campaign: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
  });

  it('reads the campaign\'s zone when the step says campaign, even if the lead has one', () => {
    const zones = { lead: 'America/New_York', campaign: 'Europe/Berlin' };
    expect(heldUntil({ ...window, timeZone: 'campaign' }, now, zones)).toBe('2026-03-02T08:00:00.000Z');
  });

  it('reads a named zone over both the lead\'s and the campaign\'s', () => {
    const zones = { lead: 'America/New_York', campaign: 'Europe/Berlin' };
    expect(heldUntil({ ...window, timeZone: 'Asia/Tokyo' }, '2026-03-01T12:00:00Z', zones)).toBe('2026-03-02T00:00:00.000Z');
  });
});
