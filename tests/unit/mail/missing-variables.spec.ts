import { EmailTemplateSource, renderEmail, TemplateRenderError } from '@ce/mail';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

const ada = { lead: { firstName: 'Ada', email: 'ada@example.com', company: null, jobTitle: '  ' }, campaign: { name: 'Spring' } };

describe('the "default" policy', () => {
  const template: EmailTemplateSource = {
    subject: 'Hi {{lead.firstName}} from {{lead.company}}',
    html: '<p>{{lead.company}}|{{lead.jobTitle}}|{{lead.nickname}}</p>',
    missingVariables: 'default',
    variableDefaults: { 'lead.company': 'your company', 'lead.nickname': '<friend>' },
  };

  it('renders the declared default, or nothing, for a value that is missing, null or blank', () => {
    const rendered = renderEmail({ template }, ada);
    expect(rendered.subject).toBe('Hi Ada from your company');
    expect(rendered.html).toBe('<p>your company||&lt;friend&gt;</p>');
  });

  it('lists the variables that had no value, once each', () => {
    expect(renderEmail({ template }, ada).missingVariables).toEqual(['lead.company', 'lead.jobTitle', 'lead.nickname']);
  });

  it('keeps values that are there, including 0 and false', () => {
    const rendered = renderEmail({ template: { subject: '{{n}} {{flag}}', html: '{{n}}' } }, { n: 0, flag: false });
    expect(rendered.subject).toBe('0 false');
    expect(rendered.missingVariables).toEqual([]);
  });

  it('gives a default to the value a formatting helper prints', () => {
    const rendered = renderEmail(
      { template: { subject: 's', html: '{{formatCurrency order.total "EUR"}}', variableDefaults: { 'order.total': '0' } } },
      {},
    );
    expect(rendered.html).toBe('€0.00');
  });
});

describe('the "reject" policy', () => {
  const template: EmailTemplateSource = {
    subject: 'Hi {{lead.firstName}}',
    html: '<p>{{lead.company}}</p>',
    missingVariables: 'reject',
    variableDefaults: { 'lead.company': 'your company' },
  };

  it('renders when every printed variable has a value or a default', () => {
    const rendered = renderEmail({ template }, ada);
    expect(rendered.html).toBe('<p>your company</p>');
    expect(rendered.missingVariables).toEqual(['lead.company']);
  });

  it('refuses to render for a lead whose value is missing, naming the variable and the part', () => {
    const error = thrownBy(() => renderEmail({ template }, { lead: { firstName: '' } }));
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error).toMatchObject({ code: 'TEMPLATE_RENDER_FAILED', part: 'subject', variable: 'lead.firstName' });
    expect((error as Error).message).toContain('lead.firstName has no value');
  });

  it('applies to the layout and to partials included at the top level', () => {
    const fromLayout = thrownBy(() =>
      renderEmail({ template: { ...template, subject: 's', html: 'x' }, layout: { html: '{{{body}}}{{lead.city}}' } }, ada),
    );
    expect(fromLayout).toMatchObject({ part: 'layout', variable: 'lead.city' });

    const fromPartial = thrownBy(() =>
      renderEmail({ template: { ...template, subject: 's', html: '{{> sig}}' }, partials: { sig: { html: '{{sender.name}}' } } }, ada),
    );
    expect(fromPartial).toMatchObject({ part: 'html', variable: 'sender.name' });
  });

  it('does not apply to values a template only tests, loops over or gives its own fallback', () => {
    const html = [
      '{{#if lead.company}}at {{lead.company}}{{/if}}',
      '{{#unless lead.vip}}regular{{/unless}}',
      '{{#each lead.orders}}{{this.total}}{{/each}}',
      '{{#with lead.address}}{{city}}{{/with}}',
      '{{default lead.nickname "friend"}}',
    ].join('|');
    const rendered = renderEmail({ template: { subject: 's', html, missingVariables: 'reject' } }, { lead: { orders: [{}] } });
    expect(rendered.html).toBe('|regular|||friend');
    expect(rendered.missingVariables).toEqual([]);
  });

  it('leaves a partial alone when it is included for each item of a list', () => {
    const rendered = renderEmail(
      {
        template: { subject: 's', html: '{{#each items}}{{> item}}{{/each}}', missingVariables: 'reject' },
        partials: { item: { html: '[{{name}}]' } },
      },
      { items: [{ name: 'a' }, {}] },
    );
    expect(rendered.html).toBe('[a][]');
  });

  it('follows @root. paths wherever they appear', () => {
    const error = thrownBy(() =>
      renderEmail({ template: { subject: 's', html: '{{#each items}}{{@root.campaign.name}}{{/each}}', missingVariables: 'reject' } }, { items: [1] }),
    );
    expect(error).toMatchObject({ variable: 'campaign.name' });
  });
});
