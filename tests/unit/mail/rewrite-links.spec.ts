import { appendOpenPixel, rewriteLinks, rewriteTextLinks } from '@ce/mail';

const track = (url: string): string => `https://t.example.com/c?u=${encodeURIComponent(url)}`;

describe('rewriteLinks', () => {
  it('rewrites double- and single-quoted hrefs and reports the original URLs', () => {
    const html = `<p><a href="https://a.example.com/x">A</a> and <a href='http://b.example.com'>B</a></p>`;
    let count = 0;
    const result = rewriteLinks(html, () => `https://t.example.com/${++count}`);
    expect(result.html).toBe(
      `<p><a href="https://t.example.com/1">A</a> and <a href="https://t.example.com/2">B</a></p>`,
    );
    expect(result.links).toEqual(['https://a.example.com/x', 'http://b.example.com']);
  });

  it('finds the href whatever the attribute order and letter case', () => {
    const html = `<A class="btn" title="go > there" HREF="https://a.example.com" target=_blank>Go</A><a\n  style="color:red"\n  href="https://b.example.com"/>`;
    const result = rewriteLinks(html, () => 'https://t.example.com/1');
    expect(result.html).toBe(
      `<A class="btn" title="go > there" HREF="https://t.example.com/1" target=_blank>Go</A><a\n  style="color:red"\n  href="https://t.example.com/1"/>`,
    );
    expect(result.links).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  it('leaves mailto, tel, anchors, relative links and data-no-track links untouched', () => {
    const html = [
      '<a href="mailto:help@example.com">mail</a>',
      '<a href="tel:+15551234">call</a>',
      '<a href="#section">jump</a>',
      '<a href="/relative/path">rel</a>',
      '<a href="//cdn.example.com/x">protocol-relative</a>',
      '<a data-no-track href="https://private.example.com">private</a>',
      "<a href='https://unsub.example.com' data-no-track=\"true\">unsubscribe</a>",
      '<a name="anchor">no href</a>',
      '<abbr title="https://x.example.com">abbr</abbr>',
    ].join('');
    const calls: string[] = [];
    const result = rewriteLinks(html, (url) => {
      calls.push(url);
      return 'https://t.example.com/x';
    });
    expect(result.html).toBe(html);
    expect(result.links).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('decodes entities before rewriting and escapes the result when writing it back', () => {
    const html = '<a href="https://shop.example.com/?a=1&amp;b=2&#38;c=3">shop</a>';
    const seen: string[] = [];
    const result = rewriteLinks(html, (url) => {
      seen.push(url);
      return `https://t.example.com/c?x=1&y="2"`;
    });
    expect(seen).toEqual(['https://shop.example.com/?a=1&b=2&c=3']);
    expect(result.html).toBe('<a href="https://t.example.com/c?x=1&amp;y=&quot;2&quot;">shop</a>');
  });

  it('keeps repeated links, once per occurrence', () => {
    const html = '<a href="https://a.example.com">1</a><a href="https://a.example.com">2</a>';
    expect(rewriteLinks(html, track).links).toEqual(['https://a.example.com', 'https://a.example.com']);
  });
});

describe('rewriteTextLinks', () => {
  it('rewrites bare URLs and leaves trailing punctuation outside them', () => {
    const text = 'Visit https://a.example.com/x. Or (see https://b.example.com/y), also http://c.example.com/z?q=1,\nmailto:help@example.com stays.';
    const result = rewriteTextLinks(text, (url) => `<${url}>`);
    expect(result.text).toBe(
      'Visit <https://a.example.com/x>. Or (see <https://b.example.com/y>), also <http://c.example.com/z?q=1>,\nmailto:help@example.com stays.',
    );
    expect(result.links).toEqual(['https://a.example.com/x', 'https://b.example.com/y', 'http://c.example.com/z?q=1']);
  });

  it('keeps balanced parentheses that belong to the URL', () => {
    const result = rewriteTextLinks('See https://en.wikipedia.org/wiki/Ada_(programming_language).', (url) => `[${url}]`);
    expect(result.text).toBe('See [https://en.wikipedia.org/wiki/Ada_(programming_language)].');
  });

  it('leaves a run of closing parentheses outside the URL', () => {
    const result = rewriteTextLinks('(((https://a.example.com/x)))', () => 'U');
    expect(result.text).toBe('(((U)))');
  });

  it('rewrites the links of text derived from HTML', () => {
    const result = rewriteTextLinks('Read more (https://blog.example.com/post)', () => 'https://t.example.com/1');
    expect(result.text).toBe('Read more (https://t.example.com/1)');
  });
});

describe('appendOpenPixel', () => {
  const pixel = (url: string) => `<img src="${url}" width="1" height="1" alt="" style="display:none">`;

  it('inserts the pixel just before </body>', () => {
    const html = '<html><body><p>Hi</p></BODY></html>';
    expect(appendOpenPixel(html, 'https://t.example.com/t/o/abc.def')).toBe(
      `<html><body><p>Hi</p>${pixel('https://t.example.com/t/o/abc.def')}</BODY></html>`,
    );
  });

  it('appends the pixel when there is no body tag, escaping its URL', () => {
    expect(appendOpenPixel('<p>Hi</p>', 'https://t.example.com/o?a=1&b="2"')).toBe(
      `<p>Hi</p>${pixel('https://t.example.com/o?a=1&amp;b=&quot;2&quot;')}`,
    );
  });
});
