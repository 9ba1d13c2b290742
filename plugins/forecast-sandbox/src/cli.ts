/* eslint-disable no-console */
import type { SandboxLogger } from './core/types';
import { startSandbox } from './server';

const consoleLogger: SandboxLogger = {
  debug: () => {},
  info: message => console.log(message),
  warn: message => console.warn(message),
  error: message => console.error(message),
  child: () => consoleLogger,
};

// Runs the sandbox standalone: `yarn sandbox [--port N] [--data-dir DIR]`.
async function main() {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };

  const sandbox = await startSandbox({
    port: Number(option('--port') ?? process.env.SANDBOX_PORT ?? 4566),
    dataDir: option('--data-dir') ?? process.env.SANDBOX_DATA_DIR,
    logger: consoleLogger,
  });
  console.log(`Endpoint: ${sandbox.endpoint}`);
  console.log(`Data folder: ${sandbox.dataDir}`);

  const stop = () => {
    sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
