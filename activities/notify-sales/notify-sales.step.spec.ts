import { NotifySalesDeps, createNotifySalesActivities } from './notify-sales.activity';
import { notifySalesStep } from './notify-sales.step';

const step = (settings: Record<string, unknown>) => ({ type: 'notify_sales', ...settings });
const paths = (settings: Record<string, unknown>) => notifySalesStep.validate(step(settings)).map((p) => p.path);

describe('notify_sales settings', () => {
  const message = 'Call {{lead.firstName}} at {{lead.company}}';

  it('accepts 1 to 20 addresses and a message template', () => {
    expect(notifySalesStep.validate(step({ to: ['sales@example.com', 'emea-sales@example.co.uk'], message }))).toEqual([]);
  });

  it('needs someone to tell, and no more than 20', () => {
    expect(paths({ message })).toEqual(['to']);
    expect(paths({ to: [], message })).toEqual(['to']);
    expect(paths({ to: Array.from({ length: 21 }, (_, i) => `rep${i}@example.com`), message })).toEqual(['to']);
  });

  it('names each address that is not one, or is listed twice', () => {
    expect(paths({ to: ['sales@example.com', 'not an address', 'Sales@Example.com', 7], message })).toEqual(['to.1', 'to.2', 'to.3']);
  });

  it('needs a message whose {{ }} are balanced', () => {
    expect(paths({ to: ['sales@example.com'] })).toEqual(['message']);
    expect(paths({ to: ['sales@example.com'], message: '   ' })).toEqual(['message']);
    expect(paths({ to: ['sales@example.com'], message: 'Hi {{lead.firstName' })).toEqual(['message']);
    expect(paths({ to: ['sales@example.com'], message: 'Hi lead.firstName}}' })).toEqual(['message']);
    expect(paths({ to: ['sales@example.com'], message: '{{#if lead.company}}{{{lead.company}}}{{/if}}' })).toEqual([]);
  });

  it('describes who it emails', () => {
    expect(notifySalesStep.describe!(step({ to: ['a@example.com', 'b@example.com'], message }))).toBe('email a@example.com, b@example.com about the lead');
  });

  it('names the activity its factory builds', () => {
    // The factory only keeps its dependencies until an activity runs, so none are needed here.
    expect(Object.keys(createNotifySalesActivities({} as NotifySalesDeps))).toEqual([notifySalesStep.activity]);
  });
});
