import { findPartialCycle, listTemplateVariables, templateReferences, TemplateInvalidError } from '@ce/mail';

describe('listTemplateVariables', () => {
  it('lists the top-level variables of the email, its layout and the partials it includes', () => {
    const variables = listTemplateVariables({
      template: {
        subject: 'Hi {{lead.firstName}}',
        html: '{{#if lead.vip}}VIP{{/if}}{{formatDate lead.renewsOn "long" timeZone=lead.timeZone}}{{> sig}}',
        text: '{{default lead.nickname "there"}}',
      },
      layout: { html: '<header>{{campaign.name}}</header>{{{body}}}' },
      partials: { sig: { html: '{{sender.name}}{{> legal}}' }, legal: { html: '{{company.address}}' }, unused: { html: '{{never}}' } },
    });
    expect(variables).toEqual([
      { name: 'campaign.name', printed: true },
      { name: 'company.address', printed: true },
      { name: 'lead.firstName', printed: true },
      { name: 'lead.nickname', printed: false },
      { name: 'lead.renewsOn', printed: true },
      { name: 'lead.timeZone', printed: false },
      { name: 'lead.vip', printed: false },
      { name: 'sender.name', printed: true },
    ]);
  });

  it('leaves out names inside loops, which belong to each item, but keeps what the loop reads', () => {
    const variables = listTemplateVariables({
      template: { subject: '', html: '{{#each lead.orders}}{{total}} {{../campaign.name}}{{/each}}{{#with lead}}{{firstName}}{{else}}{{lead.email}}{{/with}}' },
    });
    expect(variables).toEqual([
      { name: 'lead', printed: false },
      { name: 'lead.email', printed: true },
      { name: 'lead.orders', printed: false },
    ]);
  });

  it('throws TemplateInvalidError when a part does not parse', () => {
    expect(() => listTemplateVariables({ template: { subject: '{{', html: '' } })).toThrow(TemplateInvalidError);
  });
});

describe('templateReferences', () => {
  it('lists included partials once, not the ones defined inline', () => {
    const refs = templateReferences('{{#*inline "row"}}<tr></tr>{{/inline}}{{> header}}{{> row}}{{> header}}{{#> footer}}none{{/footer}}{{> (lookup . "x")}}');
    expect(refs).toEqual({ partials: ['header', 'footer'], dynamicPartials: 1, bodySlots: { topLevel: 0, nested: 0 } });
  });

  it('counts the {{{body}}} slots of a layout, and those inside blocks apart', () => {
    expect(templateReferences('{{{body}}}{{#if x}}{{{ body }}}{{/if}}{{body}}', 'layout').bodySlots).toEqual({ topLevel: 1, nested: 1 });
  });
});

describe('findPartialCycle', () => {
  const graph: Record<string, string[]> = { a: ['b', 'c'], b: ['d'], c: ['d'], d: [], x: ['y'], y: ['z'], z: ['x'] };
  const includes = (name: string) => graph[name] ?? [];

  it('finds nothing when partials only share includes', () => {
    expect(findPartialCycle('a', includes)).toBeNull();
  });

  it('names the chain that loops', () => {
    expect(findPartialCycle('x', includes)).toEqual(['x', 'y', 'z', 'x']);
    expect(findPartialCycle('self', (n) => (n === 'self' ? ['self'] : []))).toEqual(['self', 'self']);
  });
});
