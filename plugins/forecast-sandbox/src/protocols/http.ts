import type http from 'node:http';
import { randomUUID } from 'node:crypto';

/** The parts of a SigV4 `Authorization` header the sandbox routes by. */
export interface SignatureScope {
  accessKeyId: string;
  region: string;
  /** Signing name: `cloudformation`, `states`, `s3`, `ssm`, `sns`, ... */
  service: string;
}

const CREDENTIAL =
  /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * Reads the credential scope from the `Authorization` header, or from the
 * `X-Amz-Credential` query parameter of a presigned URL. The sandbox does not
 * check signatures, only the service and region they name.
 */
export function readSignatureScope(
  request: http.IncomingMessage,
  url: URL,
): SignatureScope | undefined {
  const header = request.headers.authorization ?? '';
  const fromHeader = CREDENTIAL.exec(header);
  if (fromHeader) {
    return {
      accessKeyId: fromHeader[1],
      region: fromHeader[2],
      service: fromHeader[3],
    };
  }

  const credential = url.searchParams.get('X-Amz-Credential');
  const parts = credential?.split('/');
  if (parts && parts.length === 5) {
    return { accessKeyId: parts[0], region: parts[2], service: parts[3] };
  }
  return undefined;
}

/** Reads the whole request body. */
export async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Creates a request id in the format AWS uses for most services. */
export function newRequestId(): string {
  return randomUUID();
}

/** Sends a complete reply. */
export function sendReply(
  response: http.ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer = '',
  /** Overrides the length, for HEAD replies that describe a body not sent. */
  contentLength?: number,
): void {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, {
    ...headers,
    'content-length': String(contentLength ?? payload.length),
  });
  response.end(payload);
}
