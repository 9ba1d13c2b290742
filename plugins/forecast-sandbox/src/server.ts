import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SandboxLogger } from './core/types';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Defaults to 4566. */
  port?: number;
  /** Folder that keeps all state. Defaults to `.sandbox-data`. */
  dataDir?: string;
  /** Divides Step Functions Wait state durations. Defaults to 1000. */
  waitCompression?: number;
  logger?: SandboxLogger;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:<port>`, for the AWS SDK clients' `endpoint`. */
  endpoint: string;
  port: number;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts the sandbox HTTP server on 127.0.0.1.
 *
 * TODO: route requests to the AWS services; this shell rejects every request.
 */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const dataDir = path.resolve(options.dataDir ?? '.sandbox-data');
  const server = http.createServer((_request, response) => {
    response.writeHead(400, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': 'UnknownOperationException',
    });
    response.end(
      JSON.stringify({
        __type: 'UnknownOperationException',
        message: 'The sandbox does not implement this operation yet',
      }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  options.logger?.info(
    `Forecast sandbox listening on http://127.0.0.1:${port}, data in ${dataDir}`,
  );

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}
