import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Request counts by AWS operation, for example `ListExecutions`. */
export type CallCounts = Map<string, number>;

/**
 * Starts an HTTP proxy on 127.0.0.1 that forwards every request to `target`
 * (the sandbox) and counts it by AWS operation: the `X-Amz-Target` header for
 * JSON protocols, the `Action` form field for query protocols, and method and
 * path for S3 and Scheduler.
 */
export async function startCountingProxy(target: string) {
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const amzTarget = req.headers['x-amz-target'];
      const action = /(?:^|&)Action=([A-Za-z]+)/.exec(
        body.toString('utf8'),
      )?.[1];
      const operation =
        (typeof amzTarget === 'string' && amzTarget.split('.').pop()) ||
        action ||
        `${req.method} ${req.url?.split('?')[0]}`;
      counts.set(operation, (counts.get(operation) ?? 0) + 1);

      const upstream = http.request(
        `${target}${req.url}`,
        { method: req.method, headers: req.headers },
        upstreamResponse => {
          res.writeHead(
            upstreamResponse.statusCode ?? 502,
            upstreamResponse.headers,
          );
          upstreamResponse.pipe(res);
        },
      );
      upstream.on('error', error => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    snapshot: (): CallCounts => new Map(counts),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** Returns the calls made between two snapshots, in total and by operation. */
export function callsBetween(before: CallCounts, after: CallCounts) {
  const calls: Record<string, number> = {};
  let total = 0;
  for (const [operation, count] of after) {
    const delta = count - (before.get(operation) ?? 0);
    if (delta > 0) {
      calls[operation] = delta;
      total += delta;
    }
  }
  return { total, calls };
}
