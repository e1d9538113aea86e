import Handlebars from 'handlebars';
import { TemplateInvalidError, TemplateRenderError, checkTemplateSyntax, htmlToText, renderTemplate } from '@ce/mail';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

const lead = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };

describe('renderTemplate', () => {
  it('fills in lead variables in every part', () => {
    const rendered = renderTemplate(
      { subject: 'Hi {{lead.firstName}}', html: '<p>Dear {{lead.firstName}} {{lead.lastName}}</p>', text: 'Dear {{lead.firstName}}' },
      { lead },
    );
    expect(rendered).toEqual({ subject: 'Hi Ada', html: '<p>Dear Ada Lovelace</p>', text: 'Dear Ada' });
  });

  it('escapes HTML in variables in the HTML part but not in subject and text', () => {
    const evil = { firstName: '<script>alert("x")</script> & co' };
    const rendered = renderTemplate(
      { subject: 'For {{lead.firstName}}', html: '<p>{{lead.firstName}}</p>', text: 'Hello {{lead.firstName}}' },
      { lead: evil },
    );
    expect(rendered.html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>');
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.subject).toBe('For <script>alert("x")</script> & co');
    expect(rendered.text).toBe('Hello <script>alert("x")</script> & co');
  });

  it('keeps line breaks from variables out of the subject', () => {
    const rendered = renderTemplate({ subject: 'Hi {{name}}', html: '<p>x</p>' }, { name: 'Ada\r\nBcc: evil@example.com' });
    expect(rendered.subject).toBe('Hi Ada Bcc: evil@example.com');
  });

  it('renders missing variables as empty text', () => {
    const rendered = renderTemplate({ subject: 'Hi {{lead.nickname}}!', html: '<p>{{lead.address.city}}</p>' }, { lead });
    expect(rendered.subject).toBe('Hi !');
    expect(rendered.html).toBe('<p></p>');
  });

  it('does not share helpers with the global handlebars instance', () => {
    renderTemplate({ subject: '{{formatDate d}}', html: '' }, { d: '2024-01-01' });
    expect(Handlebars.helpers.formatDate).toBeUndefined();
  });

  describe('helpers', () => {
    it('formatDate accepts a Date or an ISO string, a style and a locale', () => {
      const html = [
        '{{formatDate when}}',
        '{{formatDate iso "short"}}',
        '{{formatDate iso "long"}}',
        '{{formatDate iso "long" "de-DE"}}',
        '{{formatDate missing}}',
        '{{formatDate "not a date"}}',
      ].join('|');
      const rendered = renderTemplate({ subject: '', html }, { when: new Date(Date.UTC(2024, 2, 5, 12)), iso: '2024-03-05T09:30:00Z' });
      expect(rendered.html).toBe('Mar 5, 2024|3/5/24|March 5, 2024|5. März 2024||');
    });

    it('formatDate renders in UTC unless a time zone is given', () => {
      const rendered = renderTemplate(
        { subject: '', html: '{{formatDate iso "long"}}|{{formatDate iso "long" timeZone="Asia/Tokyo"}}' },
        { iso: '2024-03-05T20:00:00Z' },
      );
      expect(rendered.html).toBe('March 5, 2024|March 6, 2024');
    });

    it('formatCurrency accepts numbers and decimal strings, a currency and a locale', () => {
      const html = [
        '{{formatCurrency amount "USD"}}',
        '{{formatCurrency "1234.5" "EUR" "de-DE"}}',
        '{{formatCurrency "0.1" "JPY"}}',
        '{{formatCurrency missing "USD"}}',
        '{{formatCurrency "12abc" "USD"}}',
      ].join('|');
      const rendered = renderTemplate({ subject: '', html }, { amount: 1234.5 });
      expect(rendered.html).toBe('$1,234.50|1.234,50\u00a0€|¥0||');
    });

    it('formatCurrency falls back to a plain amount when the currency code is unusable', () => {
      const rendered = renderTemplate({ subject: '{{formatCurrency 12.5 "dollars"}}', html: '' }, {});
      expect(rendered.subject).toBe('12.50 DOLLARS');
    });

    it('default replaces null, undefined and blank values but keeps 0', () => {
      const rendered = renderTemplate(
        { subject: 'Hi {{default lead.nickname "there"}}', html: '{{default blank "n/a"}}|{{default zero "n/a"}}|{{default lead.firstName "there"}}' },
        { lead, blank: '  ', zero: 0 },
      );
      expect(rendered.subject).toBe('Hi there');
      expect(rendered.html).toBe('n/a|0|Ada');
    });

    it('escapes helper output in the HTML part', () => {
      const rendered = renderTemplate({ subject: '', html: '{{default missing fallback}}' }, { fallback: '<b>bold</b>' });
      expect(rendered.html).toBe('&lt;b&gt;bold&lt;/b&gt;');
    });
  });

  describe('text derived from HTML', () => {
    it('is used when the template has no text part', () => {
      const html = `<!doctype html>
        <html><head><title>Ignored title</title><style>p { color: red; }</style></head>
        <body>
          <script>track()</script>
          <h1>Welcome,   {{lead.firstName}}!</h1>
          <p>Your order is
             ready.<br>Pick it up today.</p>
          <div>Questions? <a href="https://example.com/help?a=1&amp;b=2">Visit our help centre</a></div>
          <p><a href="https://example.com">https://example.com</a></p>
          <ul><li>One &amp; two</li><li>&lt;three&gt; &#8364;5 &#x263A;&nbsp;&quot;ok&quot; &#39;yes&#39;</li></ul>
          <p><a href="mailto:help@example.com">help@example.com</a> <a href="#top">Back to top</a></p>
        </body></html>`;
      const rendered = renderTemplate({ subject: 'x', html, text: null }, { lead });
      expect(rendered.text).toBe(
        [
          'Welcome, Ada!',
          '',
          'Your order is ready.',
          'Pick it up today.',
          '',
          'Questions? Visit our help centre (https://example.com/help?a=1&b=2)',
          'https://example.com',
          '',
          'One & two',
          '<three> €5 ☺ "ok" \'yes\'',
          '',
          'help@example.com Back to top',
        ].join('\n'),
      );
    });

    it('treats a blank text part as missing', () => {
      const rendered = renderTemplate({ subject: 'x', html: '<p>Hello</p>', text: '   ' }, {});
      expect(rendered.text).toBe('Hello');
    });

    it('collapses long runs of empty blocks', () => {
      expect(htmlToText('<p>a</p><p></p><p></p><div></div><br><br><br><p>b</p>')).toBe('a\n\nb');
    });

    it('copes with large amounts of broken markup', () => {
      const broken = '<a href="https://x.example.com">'.repeat(20_000) + '<style>'.repeat(20_000) + '<p>end';
      expect(htmlToText(broken)).toBe('end');
    });

    it('does not turn encoded markup into tags', () => {
      expect(htmlToText('<p>&lt;b&gt;not bold&lt;/b&gt; &amp;lt;</p>')).toBe('<b>not bold</b> &lt;');
    });
  });

  describe('invalid templates', () => {
    it('throws TemplateInvalidError naming the part that does not compile', () => {
      const error = thrownBy(() => renderTemplate({ subject: 'ok', html: '<p>{{#if lead}}unclosed</p>' }, { lead }));
      expect(error).toBeInstanceOf(TemplateInvalidError);
      expect(error).toMatchObject({ code: 'TEMPLATE_INVALID', part: 'html' });
      expect((error as TemplateInvalidError).detail).toMatch(/Parse error on line 1/);
    });

    it('names the subject when the subject is broken', () => {
      expect(() => renderTemplate({ subject: 'Hi {{lead.firstName', html: '' }, { lead })).toThrow(
        expect.objectContaining({ code: 'TEMPLATE_INVALID', part: 'subject' }),
      );
    });

    it('throws TemplateRenderError for a helper that does not exist', () => {
      expect(() => renderTemplate({ subject: '', html: '{{shout lead.firstName}}' }, { lead })).toThrow(TemplateRenderError);
    });

    it('checkTemplateSyntax lists each broken part and nothing for a good template', () => {
      expect(checkTemplateSyntax({ subject: 'Hi {{lead.firstName}}', html: '<p>{{formatDate d "long"}}</p>', text: null })).toEqual([]);

      const problems = checkTemplateSyntax({ subject: 'Hi {{lead.firstName', html: '<p>fine</p>', text: '{{#each items}}x{{/if}}' });
      expect(problems.map((p) => p.part)).toEqual(['subject', 'text']);
      expect(problems[0].message).toMatch(/Parse error/);
      expect(problems[1].message).toMatch(/each doesn't match if/);
    });

    it('checkTemplateSyntax reports helpers that do not exist', () => {
      expect(checkTemplateSyntax({ subject: '', html: '{{shout lead.firstName}}' })).toEqual([
        { part: 'html', message: 'unknown helper "shout"' },
      ]);
    });
  });
});
