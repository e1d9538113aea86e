import { ChatNotifyDeps, createChatNotifyActivities } from './chat-notify.activity';
import { chatNotifyStep } from './chat-notify.step';

const step = (settings: Record<string, unknown>) => ({ type: 'chat_notify', ...settings });
const paths = (settings: Record<string, unknown>) => chatNotifyStep.validate(step(settings)).map((p) => p.path);
const url = 'https://hooks.slack.com/services/T000/B000/XXXX';

describe('chat_notify settings', () => {
  it('accepts an incoming-webhook URL and a message template', () => {
    expect(chatNotifyStep.validate(step({ url, text: 'New MQL {{lead.firstName}} {{lead.lastName}}', next: 'wait' }))).toEqual([]);
  });

  it('needs an http(s) URL and a message', () => {
    expect(chatNotifyStep.validate(step({}))).toEqual([
      { path: 'url', message: expect.stringContaining('http:// or https://') },
      { path: 'text', message: expect.stringContaining('1 to 4000 characters') },
    ]);
    expect(paths({ url: 'mailto:sales@example.com', text: 'hi' })).toEqual(['url']);
    expect(paths({ url, text: 'x'.repeat(4001) })).toEqual(['text']);
  });

  it('catches a template with an unclosed {{', () => {
    expect(chatNotifyStep.validate(step({ url, text: 'New MQL {{lead.firstName' }))).toEqual([
      { path: 'text', message: 'has a {{ without its }} (or the other way round)' },
    ]);
  });

  it('describes the post without the URL\'s secret path', () => {
    expect(chatNotifyStep.describe!(step({ url, text: 'New MQL {{lead.firstName}}' }))).toBe(
      'post a chat message to hooks.slack.com: "New MQL {{lead.firstName}}"',
    );
  });

  it('runs the notifyChat activity on the campaigns queue and goes on to the next step', () => {
    expect(chatNotifyStep).toMatchObject({ kind: 'action', activity: 'notifyChat' });
    expect(chatNotifyStep.queue).toBeUndefined();
    expect(chatNotifyStep.successors(step({ url, text: 'hi', next: 'wait' }))).toEqual(['wait']);
  });

  it('names the activity its factory builds', () => {
    // The factory only keeps its dependencies until an activity runs, so none are needed here.
    expect(Object.keys(createChatNotifyActivities({} as ChatNotifyDeps))).toEqual([chatNotifyStep.activity]);
  });
});
