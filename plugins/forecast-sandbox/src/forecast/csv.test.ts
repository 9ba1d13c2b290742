import { parseCsv } from './csv';

const rows = (text: string) => [...parseCsv(text)];

describe('parseCsv', () => {
  it('reads quoted fields that contain commas and quotes', () => {
    expect(rows('a,"b, c","say ""hi"""\n')).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
    ]);
  });

  it('drops a byte order mark', () => {
    expect(rows('\uFEFFx,1\ny,2')[0].fields).toEqual(['x', '1']);
  });

  it('accepts CRLF line endings and skips empty lines', () => {
    expect(rows('x,1\r\n\r\ny,2\r\n')).toEqual([
      { line: 1, fields: ['x', '1'] },
      { line: 3, fields: ['y', '2'] },
    ]);
  });

  it('counts lines inside quoted line breaks', () => {
    expect(rows('"a\nb",1\nc,2').map(r => r.line)).toEqual([1, 3]);
  });

  it('rejects an unclosed quote', () => {
    expect(() => rows('a,"b\n')).toThrow('never closed');
  });
});
