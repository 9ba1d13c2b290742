import { decodeAwsChunked, isAwsChunked } from './awsChunked';

describe('aws-chunked bodies', () => {
  it('decodes chunks and drops the trailer', () => {
    const body = Buffer.concat([
      Buffer.from('5\r\nhello\r\n'),
      Buffer.from('6;chunk-signature=abc\r\n world\r\n'),
      Buffer.from('0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n'),
    ]);
    expect(decodeAwsChunked(body).toString()).toBe('hello world');
  });

  it('keeps binary chunk data intact', () => {
    const data = Buffer.from([0, 13, 10, 255, 48]);
    const body = Buffer.concat([
      Buffer.from('5\r\n'),
      data,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    expect(decodeAwsChunked(body).equals(data)).toBe(true);
  });

  it('rejects a chunk that runs past the end', () => {
    expect(() => decodeAwsChunked(Buffer.from('a\r\nshort\r\n'))).toThrow(
      /runs past the end/,
    );
  });

  it('recognises the encoding from the headers', () => {
    expect(isAwsChunked({ 'content-encoding': 'aws-chunked' })).toBe(true);
    expect(
      isAwsChunked({
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      }),
    ).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip' })).toBe(false);
  });
});
