import { CsvRecord, CsvRecordReader, splitCsvRecord } from '@activities/imports/csv-records';
import { Line, readLines } from '@activities/imports/text-lines';

/** The import's CSV reader: strict per record, and one bad record never takes good ones with it. */
describe('CSV records for imports', () => {
  async function* chunks(...parts: string[]): AsyncGenerator<string> {
    yield* parts;
  }
  async function records(text: string[] | string, maxChars?: number): Promise<CsvRecord[]> {
    const reader = new CsvRecordReader(maxChars);
    const out: CsvRecord[] = [];
    for await (const lines of readLines(chunks(...(Array.isArray(text) ? text : [text])), maxChars)) {
      for (const line of lines) reader.push(line, out);
    }
    reader.end(out);
    return out;
  }

  it('splits quoted fields, doubled quotes, empty and trailing fields', () => {
    expect(splitCsvRecord('a,"b, c","say ""hi""",,"",z,')).toEqual({ fields: ['a', 'b, c', 'say "hi"', '', '', 'z', ''] });
  });

  it('names the column of a quote out of place', () => {
    expect(splitCsvRecord('a,"b"c,d')).toEqual({ error: 'text follows a closing quote', column: 2 });
    expect(splitCsvRecord('a,b,c"d')).toEqual({ error: 'a quote inside an unquoted value', column: 3 });
    expect(splitCsvRecord('a,"b')).toEqual({ error: 'a quoted value is not closed', column: 2 });
  });

  it('joins lines inside a quoted field and reads lines split across chunks', async () => {
    const out = await records(['h1,h2\r\nx,"one\r\ntw', 'o"\r\ny,3\r\n']);
    expect(out).toEqual([
      { raw: 'h1,h2', fields: ['h1', 'h2'] },
      { raw: 'x,"one\ntwo"', fields: ['x', 'one\ntwo'] },
      { raw: 'y,3', fields: ['y', '3'] },
    ]);
  });

  it('rejects a bad closing quote alone and reads the next rows', async () => {
    const out = await records('a,"bad"quote,1\nb,ok,2\nc,ab"c,3\nd,ok,4\n');
    expect(out.map((r) => ('error' in r ? `error:${r.raw}` : r.fields.join('|')))).toEqual([
      'error:a,"bad"quote,1',
      'b|ok|2',
      'error:c,ab"c,3',
      'd|ok|4',
    ]);
  });

  it('rejects only the first line of a quote never closed, then reads on', async () => {
    const atEnd = await records('a,"never closed\nb,2\nc,3\n');
    expect(atEnd).toEqual([
      { raw: 'a,"never closed', error: 'a quoted value is not closed', column: 2 },
      { raw: 'b,2', fields: ['b', '2'] },
      { raw: 'c,3', fields: ['c', '3'] },
    ]);
    const tooLong = await records(['a,"open\n', ...Array.from({ length: 30 }, (_, i) => `r${i},${i}\n`)], 100);
    expect(tooLong[0]).toMatchObject({ raw: 'a,"open', error: 'a quoted value is not closed' });
    expect(tooLong.slice(1).map((r) => ('fields' in r ? r.fields[0] : 'error'))).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`));
  });

  it('keeps only the start of an overlong line and carries on after it', async () => {
    const lines: Line[] = [];
    for await (const batch of readLines(chunks('\ufeffshort\n', 'x'.repeat(50), 'y'.repeat(60), '\nnext\n'), 100)) lines.push(...batch);
    expect(lines).toEqual([{ text: 'short' }, { overlong: 'x'.repeat(50) + 'y'.repeat(60) }, { text: 'next' }]);
  });
});
