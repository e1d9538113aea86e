import { EmailTemplateBundle, renderEmail, TemplateInvalidError, TemplateRenderError } from '@ce/mail';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

const lead = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
const layout = { html: '<html><body><header>{{campaign.name}}</header>{{{body}}}<footer>Sent to {{lead.email}}</footer></body></html>' };

describe('layouts', () => {
  it('places the rendered email where the layout says {{{body}}}', () => {
    const rendered = renderEmail(
      { template: { subject: 'Hi {{lead.firstName}}', html: '<p>Dear {{lead.firstName}}</p>' }, layout },
      { lead, campaign: { name: 'Spring' } },
    );
    expect(rendered.subject).toBe('Hi Ada');
    expect(rendered.html).toBe('<html><body><header>Spring</header><p>Dear Ada</p><footer>Sent to ada@example.com</footer></body></html>');
  });

  it('derives the plain text from the HTML with the layout around it', () => {
    const rendered = renderEmail({ template: { subject: 's', html: '<p>Dear {{lead.firstName}}</p>' }, layout }, { lead, campaign: { name: 'Spring' } });
    expect(rendered.text).toBe('Spring\nDear Ada\n\nSent to ada@example.com');
  });

  it('keeps the template\'s own text part, which the layout does not wrap', () => {
    const rendered = renderEmail({ template: { subject: 's', html: '<p>x</p>', text: 'Hello {{lead.firstName}}' }, layout }, { lead });
    expect(rendered.text).toBe('Hello Ada');
  });

  it('escapes values in the layout but not the email body it places', () => {
    const rendered = renderEmail(
      { template: { subject: 's', html: '<b>{{lead.firstName}}</b>' }, layout: { html: '<i>{{lead.company}}</i>{{{body}}}' } },
      { lead: { firstName: '<Ada>', company: 'A & B <Ltd>' } },
    );
    expect(rendered.html).toBe('<i>A &amp; B &lt;Ltd&gt;</i><b>&lt;Ada&gt;</b>');
  });

  it('reports a layout that does not parse as the layout', () => {
    const error = thrownBy(() => renderEmail({ template: { subject: 's', html: 'x' }, layout: { html: '{{#if}}{{{body}}}' } }, {}));
    expect(error).toBeInstanceOf(TemplateInvalidError);
    expect(error).toMatchObject({ part: 'layout' });
  });
});

describe('partials', () => {
  const partials = {
    signature: { html: '<p>Regards, {{campaign.name}} team</p>{{> legal}}' },
    legal: { html: '<small>Sent to {{lead.email}}</small>' },
    greeting: { html: 'Hello {{firstName}}' },
  };

  it('includes partials, and partials included by partials, with the same variables', () => {
    const rendered = renderEmail(
      { template: { subject: 's', html: '<p>Hi {{lead.firstName}}</p>{{> signature}}' }, partials },
      { lead, campaign: { name: 'Spring' } },
    );
    expect(rendered.html).toBe('<p>Hi Ada</p><p>Regards, Spring team</p><small>Sent to ada@example.com</small>');
  });

  it('lets the layout include partials too', () => {
    const rendered = renderEmail(
      { template: { subject: 's', html: '<p>Body</p>' }, layout: { html: '{{{body}}}{{> legal}}' }, partials },
      { lead },
    );
    expect(rendered.html).toBe('<p>Body</p><small>Sent to ada@example.com</small>');
  });

  it('escapes values inside partials', () => {
    const rendered = renderEmail({ template: { subject: 's', html: '{{> legal}}' }, partials }, { lead: { email: '<x@example.com>' } });
    expect(rendered.html).toBe('<small>Sent to &lt;x@example.com&gt;</small>');
  });

  it('passes a partial the object it is given', () => {
    const rendered = renderEmail({ template: { subject: 's', html: '{{> greeting lead}}' }, partials }, { lead });
    expect(rendered.html).toBe('Hello Ada');
  });

  it('gives partials to one render only', () => {
    renderEmail({ template: { subject: 's', html: '{{> legal}}' }, partials }, { lead });
    const error = thrownBy(() => renderEmail({ template: { subject: 's', html: '{{> legal}}' } }, { lead }));
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect((error as TemplateRenderError).detail).toMatch(/legal could not be found/);
  });

  it('uses the partial version it is given, not an older compiled one', () => {
    const at = new Date('2024-01-01T00:00:00Z');
    const bundle = (html: string, updatedAt: Date): EmailTemplateBundle => ({
      template: { subject: 's', html: '{{> box}}' },
      partials: { box: { id: '3c0f2a8e-5b8e-4f7a-9a34-1d6c4f3b2a10', updatedAt, html } },
    });
    expect(renderEmail(bundle('<div>one</div>', at), {}).html).toBe('<div>one</div>');
    expect(renderEmail(bundle('<div>two</div>', new Date(at.getTime() + 1)), {}).html).toBe('<div>two</div>');
  });

  it('reports which partial does not parse', () => {
    const error = thrownBy(() => renderEmail({ template: { subject: 's', html: '{{> broken}}' }, partials: { broken: { html: '{{#each x}}' } } }, {}));
    expect(error).toBeInstanceOf(TemplateInvalidError);
    expect(error).toMatchObject({ part: 'partial' });
    expect((error as TemplateInvalidError).detail).toMatch(/^"broken": /);
  });
});
