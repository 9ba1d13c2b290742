/* eslint-disable no-console */
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { SandboxLogger } from './core/types';
import { startSandbox } from './server';

const USAGE = `Usage: yarn sandbox [--port N] [--data-dir DIR] [--verbose]

Runs the offline AWS sandbox on 127.0.0.1.
  --port N        port to listen on (default 4566, or SANDBOX_PORT; 0 picks a free one)
  --data-dir DIR  folder that keeps all state (default .sandbox-data at the
                  repository root, or SANDBOX_DATA_DIR), shared with the portal
  --verbose       also log every request error and S3 write`;

// `.sandbox-data` at the repository root, two folders above this package.
const DEFAULT_DATA_DIR = path.resolve(
  resolvePackagePath('@forecast-pipelines/forecast-sandbox'),
  '..',
  '..',
  '.sandbox-data',
);

function consoleLogger(verbose: boolean): SandboxLogger {
  const logger: SandboxLogger = {
    debug: message => {
      if (verbose) console.log(message);
    },
    info: message => console.log(message),
    warn: message => console.warn(message),
    error: message => console.error(message),
    child: () => logger,
  };
  return logger;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };

  const portText = option('--port') ?? process.env.SANDBOX_PORT ?? '4566';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `Invalid port "${portText}": use a whole number from 0 to 65535`,
    );
  }
  const sandbox = await startSandbox({
    port,
    dataDir:
      option('--data-dir') ?? process.env.SANDBOX_DATA_DIR ?? DEFAULT_DATA_DIR,
    logger: consoleLogger(args.includes('--verbose')),
  });
  console.log(`Endpoint: ${sandbox.endpoint}`);
  console.log(`Data folder: ${sandbox.dataDir}`);

  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      error => {
        console.error(`Failed to stop the sandbox cleanly: ${error}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(1);
});
