import { checkCsv, parseDataUrl, safeFileName } from './dataFiles';

const SCHEMA = [
  { AttributeName: 'timestamp', AttributeType: 'timestamp' },
  { AttributeName: 'target_value', AttributeType: 'float' },
  { AttributeName: 'item_id', AttributeType: 'string' },
];

function dataUrl(text: string, name = 'sales%20march.csv'): string {
  return `data:text/csv;name=${name};base64,${Buffer.from(text).toString(
    'base64',
  )}`;
}

describe('parseDataUrl', () => {
  it('decodes a base64 data URL with a file name', () => {
    const file = parseDataUrl('file', dataUrl('a,b\n'));
    expect(file.name).toBe('sales march.csv');
    expect(file.mediaType).toBe('text/csv');
    expect(file.content.toString()).toBe('a,b\n');
  });

  it('decodes a percent-encoded data URL', () => {
    expect(
      parseDataUrl('file', 'data:text/csv,a%2Cb%0A').content.toString(),
    ).toBe('a,b\n');
  });

  it('rejects text that is not a data URL', () => {
    expect(() => parseDataUrl('file', '/tmp/sales.csv')).toThrow(
      'file is not a data URL',
    );
  });
});

describe('safeFileName', () => {
  it('replaces characters S3 keys should not carry', () => {
    expect(safeFileName('../my sales (1).csv', 'x.csv')).toBe(
      'my_sales__1_.csv',
    );
  });

  it('falls back when the name has no letter', () => {
    expect(safeFileName('2024.01', 'target.csv')).toBe('target.csv');
  });
});

describe('checkCsv', () => {
  it('counts the rows of a file that matches the schema', () => {
    const result = checkCsv(
      'file',
      Buffer.from('2024-01-01 00:00:00,1.5,a\n2024-01-01 01:00:00,2,a\n'),
      SCHEMA,
    );
    expect(result.rows).toBe(2);
    expect(result.headerRemoved).toBe(false);
  });

  it('removes a header row equal to the column names', () => {
    const result = checkCsv(
      'file',
      Buffer.from('timestamp,target_value,item_id\n2024-01-01 00:00:00,1,a\n'),
      SCHEMA,
    );
    expect(result.headerRemoved).toBe(true);
    expect(result.rows).toBe(1);
    expect(result.content.toString()).toBe('2024-01-01 00:00:00,1,a\n');
  });

  it('names the rows with the wrong column count', () => {
    expect(() =>
      checkCsv(
        'file',
        Buffer.from('2024-01-01 00:00:00,1,a\n2024-01-01 01:00:00,2\n'),
        SCHEMA,
      ),
    ).toThrow(
      'each row needs 3 values (timestamp,target_value,item_id, in that order), but row 2 has 2',
    );
  });

  it('rejects an empty file', () => {
    expect(() => checkCsv('file', Buffer.from('\n'), SCHEMA)).toThrow(
      'file is empty',
    );
  });

  it('rejects a timestamp in another format', () => {
    const csv = '2014-01-01 01:00:00,1.5,a\n2014/01/01 02:00,2,a\n';
    expect(() =>
      checkCsv('file', Buffer.from(csv), SCHEMA, 'yyyy-MM-dd HH:mm:ss'),
    ).toThrow(
      'row 2, column timestamp: "2014/01/01 02:00" does not match the TimestampFormat yyyy-MM-dd HH:mm:ss',
    );
  });

  it('rejects a value that is not a number', () => {
    const csv = '2014-01-01 01:00:00,abc,a\n';
    expect(() =>
      checkCsv('file', Buffer.from(csv), SCHEMA, 'yyyy-MM-dd HH:mm:ss'),
    ).toThrow('row 1, column target_value: "abc" is not a number');
  });

  it('accepts empty values and dates without time for daily data', () => {
    const csv = '2014-01-01,,a\n2014-01-02 00:00:00,3,a\n';
    expect(checkCsv('file', Buffer.from(csv), SCHEMA, 'yyyy-MM-dd').rows).toBe(
      2,
    );
  });
});
