import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { sandboxClients } from './__testUtils__/testSandbox';
import { forecastSandboxPlugin } from './plugin';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('forecastSandboxPlugin', () => {
  it('serves the sandbox when enabled', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-plugin-'));
    const port = await freePort();
    const backend = await startTestBackend({
      features: [
        forecastSandboxPlugin,
        mockServices.rootConfig.factory({
          data: { forecast: { sandbox: { enabled: true, port, dataDir } } },
        }),
      ],
    });

    const { sts } = sandboxClients(`http://127.0.0.1:${port}`);
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('000000000000');
    expect(fs.existsSync(path.join(dataDir, 'sns'))).toBe(true);

    await backend.stop();
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts nothing when disabled', async () => {
    const port = await freePort();
    const backend = await startTestBackend({
      features: [
        forecastSandboxPlugin,
        mockServices.rootConfig.factory({
          data: { forecast: { sandbox: { enabled: false, port } } },
        }),
      ],
    });
    const { sts } = sandboxClients(`http://127.0.0.1:${port}`);
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toThrow();
    await backend.stop();
  });
});
