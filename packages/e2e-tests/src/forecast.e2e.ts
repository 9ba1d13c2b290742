import type { Browser, Page } from 'playwright-core';
import {
  backendUrl,
  frontendUrl,
  guestToken,
  launchBrowser,
  Portal,
  screenshot,
  signInAsGuest,
  startPortal,
} from './portal';

jest.setTimeout(900_000);

const WORKLOAD = 'e2e-demand';
const OWNER = 'group:default/guests';
// A workload the guest does not own, so the guest may not rerun it.
const OTHER_WORKLOAD = 'e2e-other';
const OTHER_OWNER = 'group:default/planners';
const ENTITY_API = `${backendUrl}/api/forecast/entity/default/component/${WORKLOAD}`;

async function waitUntil<T>(
  description: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result !== undefined) {
        return result;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  throw new Error(
    `Timed out after ${timeoutMs / 1000} s waiting for ${description}${
      lastError ? `. Last error: ${lastError}` : ''
    }`,
  );
}

/** Runs a software template through the scaffolder REST API. */
async function runTemplate(
  token: string,
  template: string,
  values: Record<string, unknown>,
): Promise<void> {
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  const created = await fetch(`${backendUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      templateRef: `template:default/${template}`,
      values,
    }),
  });
  if (created.status !== 201) {
    throw new Error(
      `Starting template ${template} failed: HTTP ${
        created.status
      } ${await created.text()}`,
    );
  }
  const { id } = (await created.json()) as { id: string };

  const status = await waitUntil(
    `template ${template} (task ${id}) to finish`,
    async () => {
      const response = await fetch(
        `${backendUrl}/api/scaffolder/v2/tasks/${id}`,
        { headers },
      );
      const task = (await response.json()) as { status: string };
      return ['completed', 'failed', 'cancelled'].includes(task.status)
        ? task.status
        : undefined;
    },
    300_000,
  );
  if (status !== 'completed') {
    const events = await fetch(
      `${backendUrl}/api/scaffolder/v2/tasks/${id}/events`,
      { headers },
    );
    const log = ((await events.json()) as { body: { message?: string } }[])
      .map(event => event.body.message)
      .filter(Boolean)
      .join('\n');
    throw new Error(`Template ${template} ended ${status}:\n${log}`);
  }
}

async function getJson<T>(token: string, url: string): Promise<T | undefined> {
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return response.ok ? ((await response.json()) as T) : undefined;
}

describe('Forecast tab of a deployed workload', () => {
  let portal: Portal;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
  });

  afterEach(async () => {
    // The page as the test left it, which explains most failures.
    if (page) {
      const name = expect.getState().currentTestName ?? 'test';
      await screenshot(page, `forecast-last-${name.replace(/\W+/g, '-')}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('deploys the sample workload with the templates', async () => {
    const token = await guestToken();

    await runTemplate(token, 'forecast-dependency', {
      stackName: 'forecast-dependency',
      owner: OWNER,
    });
    const workloadValues = {
      name: WORKLOAD,
      owner: OWNER,
      title: 'E2E demand',
      dependencyStackName: 'forecast-dependency',
      dataSource: 'sample',
      schemaMode: 'builder',
      targetSchemaColumns: [
        { AttributeName: 'timestamp', AttributeType: 'timestamp' },
        { AttributeName: 'target_value', AttributeType: 'float' },
        { AttributeName: 'item_id', AttributeType: 'string' },
      ],
      dataFrequency: 'H',
      timestampFormat: 'yyyy-MM-dd HH:mm:ss',
      forecastHorizon: 24,
      quantiles: ['0.1', '0.5', '0.9'],
      optimizationMetric: 'AverageWeightedQuantileLoss',
      schedule: 'daily',
      startWorkflow: true,
    };
    await runTemplate(token, 'forecast-workload', workloadValues);

    await runTemplate(token, 'forecast-workload', {
      ...workloadValues,
      name: OTHER_WORKLOAD,
      owner: OTHER_OWNER,
      title: 'E2E other',
      schedule: 'none',
      startWorkflow: false,
    });

    // The catalog provider reads the stack tags on its schedule.
    for (const name of [WORKLOAD, OTHER_WORKLOAD]) {
      await waitUntil(
        `the catalog entity component:default/${name}`,
        () =>
          getJson(
            token,
            `${backendUrl}/api/catalog/entities/by-name/component/default/${name}`,
          ),
        180_000,
      );
    }
    // The template started the workflow, so wait for its forecast export.
    const firstRun = await waitUntil(
      'the first workflow run to succeed',
      async () => {
        const body = await getJson<{ executions: { status: string }[] }>(
          token,
          `${ENTITY_API}/executions?pipeline=workflow`,
        );
        const status = body?.executions[0]?.status;
        if (status && status !== 'RUNNING' && status !== 'SUCCEEDED') {
          throw new Error(`The workflow run ended ${status}`);
        }
        return status === 'SUCCEEDED' ? status : undefined;
      },
      300_000,
    );
    expect(firstRun).toBe('SUCCEEDED');
  });

  it('shows the overview card and the Forecast tab', async () => {
    page = await signInAsGuest(browser);
    // The dev backend restarts when a watched source file changes, and its
    // in-memory catalog is refilled by the provider within about 30 s.
    page.setDefaultTimeout(90_000);
    await waitUntil(
      'the guest sign-in',
      async () => {
        const enter = page.getByRole('button', { name: 'Enter' });
        if (await enter.isVisible()) {
          await enter.click();
          return undefined;
        }
        return (await page.getByRole('link', { name: 'Catalog' }).count()) > 0
          ? true
          : undefined;
      },
      120_000,
    );
    await page.goto(`${frontendUrl}/catalog/default/component/${WORKLOAD}`);

    await page.getByText('Forecast pipeline', { exact: true }).waitFor();
    await page
      .getByText(/^(CREATE|UPDATE)_COMPLETE$/)
      .first()
      .waitFor();
    await screenshot(page, 'forecast-01-overview-card');

    // Entity page tabs render as links or as tabs, depending on the header.
    await page
      .getByRole('tab', { name: 'Forecast', exact: true })
      .or(page.getByRole('link', { name: 'Forecast', exact: true }))
      .first()
      .click();
    await page.waitForURL(/\/forecast$/);

    const executions = page.locator('div.MuiCard-root', {
      has: page.getByText('Executions', { exact: true }),
    });
    await executions.getByText('Succeeded').first().waitFor();
    await page.locator('.recharts-area-area').first().waitFor();
    await page.locator('.recharts-line-curve').first().waitFor();
    await page.getByText('Per backtest window').waitFor();
    await screenshot(page, 'forecast-02-tab');
    expect(page.url()).toBe(
      `${frontendUrl}/catalog/default/component/${WORKLOAD}/forecast`,
    );
  });

  it('reruns the workflow and follows the new execution', async () => {
    const rerun = page.getByRole('button', {
      name: 'Rerun End-to-end workflow',
    });
    await rerun.waitFor();
    await page.waitForFunction(
      () =>
        !document
          .querySelector('button[aria-label="Rerun End-to-end workflow"]')
          ?.hasAttribute('disabled'),
    );
    await rerun.click();

    const dialog = page.getByRole('dialog');
    await dialog
      .getByText('forecast-e2e-demand-workflow', { exact: true })
      .waitFor();
    await dialog
      .getByLabel('Execution input')
      .and(page.locator('textarea'))
      .waitFor();
    await screenshot(page, 'forecast-03-rerun-dialog');
    await dialog.getByRole('button', { name: 'Rerun' }).click();

    await dialog.getByText('Started End-to-end workflow').waitFor();
    const name = await dialog.locator('strong').first().innerText();
    await dialog.getByRole('button', { name: 'Close' }).click();

    const row = page.locator('tr', { hasText: name });
    await row.waitFor();
    await screenshot(page, 'forecast-04-new-execution');
    await row.getByText('Succeeded').waitFor({ timeout: 120_000 });
    expect(await row.getByText('rerun by').count()).toBe(1);
    await screenshot(page, 'forecast-05-rerun-finished');
  });

  it('disables Rerun on a workload of another team', async () => {
    await page.goto(
      `${frontendUrl}/catalog/default/component/${OTHER_WORKLOAD}/forecast`,
    );
    const rerun = page.getByRole('button', {
      name: 'Rerun End-to-end workflow',
    });
    await rerun.waitFor();
    await page.getByText('Never run').first().waitFor();
    expect(await rerun.isDisabled()).toBe(true);

    await rerun.locator('xpath=..').hover();
    await page
      .getByText(/do not have the forecast\.pipeline\.execute permission/)
      .waitFor();
    await screenshot(page, 'forecast-06-rerun-denied');

    // The backend enforces the same rule for direct API calls.
    const response = await fetch(
      `${backendUrl}/api/forecast/entity/default/component/${OTHER_WORKLOAD}/pipelines/workflow/rerun`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await guestToken()}`,
          'Content-Type': 'application/json',
        },
        body: '{}',
      },
    );
    expect(response.status).toBe(403);
  });
});
