/**
 * Whether a PutObject body uses the `aws-chunked` content encoding, which the
 * AWS SDK v3 sends for streamed bodies when it adds a trailing checksum.
 */
export function isAwsChunked(
  headers: Record<string, string | string[] | undefined>,
): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return (
    encoding
      .split(',')
      .map(e => e.trim())
      .includes('aws-chunked') || sha.startsWith('STREAMING-')
  );
}

/**
 * Decodes an `aws-chunked` body: `<hex size>[;chunk-signature=...]\r\n<data>\r\n`
 * repeated, then a zero-size chunk and optional trailers such as
 * `x-amz-checksum-crc32:...`. Returns the object's own bytes.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;

  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) {
      throw new Error(
        `Malformed aws-chunked body: no chunk header at byte ${offset}`,
      );
    }
    const header = body.subarray(offset, lineEnd).toString('latin1');
    const size = parseInt(header.split(';')[0], 16);
    if (Number.isNaN(size)) {
      throw new Error(
        `Malformed aws-chunked body: invalid chunk size "${header}" at byte ${offset}`,
      );
    }
    if (size === 0) {
      break;
    }
    const start = lineEnd + 2;
    if (start + size > body.length) {
      throw new Error(
        `Malformed aws-chunked body: chunk of ${size} bytes at byte ${start} runs past the end`,
      );
    }
    parts.push(body.subarray(start, start + size));
    offset = start + size + 2;
  }
  return Buffer.concat(parts);
}
