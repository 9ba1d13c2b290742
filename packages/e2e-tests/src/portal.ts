import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

/** The repository root, two folders above this package. */
// The browser tests only run from their TypeScript sources, never from a build.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Screenshots and other files kept after a browser test run. */
export const artifactsDir = path.join(repoRoot, 'artifacts', 'e2e');

/**
 * Ports of the portal under test. They default to the README's ports; set
 * E2E_APP_PORT, E2E_BACKEND_PORT and E2E_SANDBOX_PORT to run the browser
 * tests beside a portal that is already running.
 */
const appPort = Number(process.env.E2E_APP_PORT ?? 3000);
const backendPort = Number(process.env.E2E_BACKEND_PORT ?? 7007);
const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 4566);

export const frontendUrl = `http://localhost:${appPort}`;
export const backendUrl = `http://localhost:${backendPort}`;

/** Debian's Chromium; the test setup installs it with apt when missing. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for headless Chromium as root on a machine with no outside network:
 * without the background-networking flags Chromium keeps trying to reach
 * Google's hosts and floods the log with refused connections.
 */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running portal started by {@link startPortal}. */
export interface Portal {
  /** The sandbox data folder, fresh for this run. */
  sandboxDataDir: string;
  /** Everything the portal printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function isUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    return response.status < 500;
  } catch {
    return false;
  }
}

async function waitFor(
  description: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(
    `Timed out after ${
      timeoutMs / 1000
    } s waiting for ${description}. Portal output:\n${output().slice(-4000)}`,
  );
}

/**
 * Starts the whole portal the way the README's first command does
 * (`yarn start`: frontend on :3000, backend on :7007 with the sandbox on
 * :4566, unless the E2E_*_PORT variables set others), with a fresh sandbox data folder, and waits until both respond.
 */
export async function startPortal(): Promise<Portal> {
  for (const url of [
    frontendUrl,
    `${backendUrl}/.backstage/health/v1/liveness`,
  ]) {
    if (await isUp(url)) {
      throw new Error(
        `${url} already responds: stop the running portal before the browser tests`,
      );
    }
  }

  const sandboxDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-sandbox-'));
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, '.yarn/releases/yarn-4.13.0.cjs'), 'start'],
    {
      cwd: repoRoot,
      detached: true,
      env: {
        ...process.env,
        // Jest sets NODE_ENV=test, which matches no browserslist environment
        // of packages/app, so Rspack fails to build the frontend.
        NODE_ENV: 'development',
        // Backstage reads APP_CONFIG_<path> variables as config overrides.
        APP_CONFIG_forecast_sandbox_dataDir: sandboxDataDir,
        APP_CONFIG_app_baseUrl: frontendUrl,
        APP_CONFIG_backend_baseUrl: backendUrl,
        APP_CONFIG_backend_listen_port: String(backendPort),
        APP_CONFIG_backend_cors_origin: frontendUrl,
        APP_CONFIG_forecast_sandbox_port: String(sandboxPort),
        BROWSER: 'none',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', chunk => {
    log += chunk.toString();
  });
  child.stderr?.on('data', chunk => {
    log += chunk.toString();
  });
  const output = () => log;

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // The process group has already exited.
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Stopped cleanly on SIGTERM.
      }
    }
    fs.rmSync(sandboxDataDir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      `the backend on ${backendUrl}`,
      () => isUp(`${backendUrl}/.backstage/health/v1/readiness`),
      240_000,
      output,
    );
    await waitFor(
      `the frontend on ${frontendUrl}`,
      () => isUp(frontendUrl),
      240_000,
      output,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { sandboxDataDir, output, stop };
}

/** Launches Debian's Chromium headless through playwright-core. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install it with "apt-get install chromium" or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
  });
}

/** Opens the portal and signs in with the guest provider. */
export async function signInAsGuest(browser: Browser): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
  });
  await page.goto(frontendUrl);
  await page.getByRole('button', { name: 'Enter' }).click();
  return page;
}

/** Saves a full-page screenshot under artifacts/e2e/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Fetches a guest token from the backend, for REST calls in tests. */
export async function guestToken(): Promise<string> {
  const response = await fetch(`${backendUrl}/api/auth/guest/refresh`);
  if (!response.ok) {
    throw new Error(`Guest sign-in failed: HTTP ${response.status}`);
  }
  const body = (await response.json()) as {
    backstageIdentity: { token: string };
  };
  return body.backstageIdentity.token;
}

/**
 * Waits until the catalog has ingested an entity, such as a template from
 * the config's locations, which happens a few seconds after the backend
 * reports ready.
 */
export async function waitForCatalogEntity(
  kind: string,
  name: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${backendUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
      { headers: { authorization: `Bearer ${await guestToken()}` } },
    );
    if (response.ok) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(
    `Timed out after ${
      timeoutMs / 1000
    } s waiting for ${kind}:default/${name} in the catalog`,
  );
}
