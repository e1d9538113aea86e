import { renderTemplate } from '@ce/mail';

const html = (source: string, variables: Record<string, unknown>) => renderTemplate({ subject: '', html: source }, variables).html;
/** ICU versions differ in which space they put before AM/PM and currency signs. */
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatDate', () => {
  const at = '2024-03-05T23:30:00Z';

  it('shows the date in the IANA time zone it is given, and in UTC otherwise', () => {
    expect(html('{{formatDate at "long"}}', { at })).toBe('March 5, 2024');
    expect(html('{{formatDate at "long" timeZone="Asia/Tokyo"}}', { at })).toBe('March 6, 2024');
    expect(html('{{formatDate at "long" timeZone="America/Los_Angeles"}}', { at })).toBe('March 5, 2024');
  });

  it('takes the zone from a variable, such as the lead\'s own, and falls back to UTC for an unknown zone', () => {
    const source = '{{formatDate at "medium" time="short" timeZone=lead.timeZone}}';
    expect(spaced(html(source, { at, lead: { timeZone: 'Europe/Berlin' } }))).toBe('Mar 6, 2024, 12:30 AM');
    expect(spaced(html(source, { at, lead: { timeZone: 'Mars/Olympus' } }))).toBe('Mar 5, 2024, 11:30 PM');
    expect(spaced(html(source, { at, lead: { timeZone: null } }))).toBe('Mar 5, 2024, 11:30 PM');
  });

  it('follows daylight saving time', () => {
    const source = '{{formatDate at format="yyyy-MM-dd HH:mm ZZ" timeZone="America/New_York"}}';
    expect(html(source, { at: '2024-01-15T12:00:00Z' })).toBe('2024-01-15 07:00 -05:00');
    expect(html(source, { at: '2024-07-15T12:00:00Z' })).toBe('2024-07-15 08:00 -04:00');
  });

  it('formats with luxon tokens in the locale it is given', () => {
    expect(html('{{formatDate at "long" "de-DE" format="EEEE, d. MMMM yyyy" timeZone="Europe/Berlin"}}', { at })).toBe('Mittwoch, 6. März 2024');
  });

  it('keeps a calendar date on its day in every zone', () => {
    expect(html('{{formatDate day "long" timeZone="Pacific/Honolulu"}}|{{formatDate day "long" timeZone="Pacific/Auckland"}}', { day: '2024-03-05' })).toBe(
      'March 5, 2024|March 5, 2024',
    );
  });

  it('reads Date objects, epoch milliseconds and SQL timestamps, and prints nothing for what is not a date', () => {
    const source = '{{formatDate d}}|{{formatDate ms}}|{{formatDate sql}}|{{formatDate bad}}|{{formatDate missing}}';
    const variables = { d: new Date(Date.UTC(2024, 0, 2)), ms: Date.UTC(2024, 0, 3), sql: '2024-01-04 10:00:00+00', bad: 'soon' };
    expect(html(source, variables)).toBe('Jan 2, 2024|Jan 3, 2024|Jan 4, 2024||');
  });

  it('falls back to English for a malformed locale', () => {
    expect(html('{{formatDate at "long" "not a locale!"}}', { at })).toBe('March 5, 2024');
  });
});

describe('formatCurrency', () => {
  it('formats in the currency and locale given', () => {
    const source = '{{formatCurrency n "USD"}}|{{formatCurrency n "EUR" "de-DE"}}|{{formatCurrency n "GBP" "en-GB"}}|{{formatCurrency n "EUR" locale="fr-FR"}}';
    expect(spaced(html(source, { n: 1234.5 }))).toBe('$1,234.50|1.234,50 €|£1,234.50|1 234,50 €');
  });

  it('uses the currency\'s own number of decimals', () => {
    expect(spaced(html('{{formatCurrency n "JPY"}}|{{formatCurrency n "KWD"}}', { n: '1234.5' }))).toBe('¥1,235|KWD 1,234.500');
  });

  it('reads amounts in minor units', () => {
    expect(html('{{formatCurrency cents "USD" minorUnits=true}}|{{formatCurrency yen "JPY" minorUnits=true}}', { cents: 123456, yen: 500 })).toBe(
      '$1,234.56|¥500',
    );
  });

  it('takes the currency from a variable and prints nothing for an amount that is not a number', () => {
    expect(html('{{formatCurrency order.total order.currency}}|{{formatCurrency "abc" "USD"}}', { order: { total: 9, currency: 'eur' } })).toBe('€9.00|');
  });
});
