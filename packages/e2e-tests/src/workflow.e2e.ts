import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
import type { Browser, Page } from 'playwright-core';
import {
  backendUrl,
  frontendUrl,
  guestToken,
  launchBrowser,
  Portal,
  repoRoot,
  screenshot,
  signInAsGuest,
  startPortal,
  waitForCatalogEntity,
} from './portal';

// The whole flow a new user follows, in one browser session. It deploys the
// dependency stack and a workload with an uploaded file, reruns the workload
// from the catalog page and reads the results. Then it redeploys with a
// schedule, uploads new data and checks for a second forecast export.

jest.setTimeout(1_200_000);

const samplesDir = path.resolve(
  repoRoot,
  '..',
  'shared',
  'data',
  'forecast-samples',
);
const realDataFile = path.join(samplesDir, 'electricity-hourly-3-clients.csv');
const realNewDataFile = path.join(samplesDir, 'electricity-client111-new.csv');
const useRealData =
  fs.existsSync(realDataFile) && fs.existsSync(realNewDataFile);

const workloadName = 'electricity';
const entityPath = `/catalog/default/component/${workloadName}`;

/** The data files and the items whose forecasts the chart must show. */
function prepareData(): { first: string; second: string; items: string[] } {
  if (useRealData) {
    return {
      first: realDataFile,
      second: realNewDataFile,
      items: ['client_10', 'client_111', 'client_12'],
    };
  }

  // Without the public sample data, generated hourly data is used instead: three
  // items for 60 days, then the same items with one more day.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-data-'));
  const first = path.join(dir, 'demand-first.csv');
  const second = path.join(dir, 'demand-new.csv');
  fs.writeFileSync(first, generateDemoDataset({ items: 3, days: 60 }));
  fs.writeFileSync(second, generateDemoDataset({ items: 3, days: 61 }));
  return { first, second, items: ['item_001', 'item_002', 'item_003'] };
}

/** Opens a portal path, signing in again when the sign-in page appears. */
async function open(page: Page, pathname: string): Promise<void> {
  await page.goto(`${frontendUrl}${pathname}`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const sidebar = page.getByRole('link', { name: 'Catalog' });
  await enter.or(sidebar).first().waitFor();
  if (await enter.isVisible()) {
    await enter.click();
  }
}

async function pickOwner(page: Page): Promise<void> {
  await page.locator('#root_owner').click();
  await page.locator('#root_owner').fill('guests');
  await page
    .getByRole('option', { name: /guests/ })
    .first()
    .click();
}

async function selectOption(page: Page, id: string, option: string) {
  await page.locator(`#${id}`).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function fetchJson(url: string): Promise<any> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${await guestToken()}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

/**
 * Clicks Create on the review page and waits for the task to end through the
 * scaffolder API. Returns the whole log from the API, because the task page
 * renders only the log lines in view.
 */
async function createAndWait(page: Page, shot: string): Promise<string> {
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/create\/tasks\//);
  const taskId = page.url().split('/create/tasks/')[1].split(/[?#]/)[0];

  // Selects the first step so its log, with the stack events, is the one shown.
  const firstStep = page.getByText(
    /^Deploy the .* stack$|^Look up the workload$/,
  );
  if (await firstStep.first().isVisible()) {
    await firstStep.first().click();
  }

  const deadline = Date.now() + 600_000;
  let status = 'open';
  while (Date.now() < deadline) {
    const task = await fetchJson(
      `${backendUrl}/api/scaffolder/v2/tasks/${taskId}`,
    );
    status = task.status;
    if (!['open', 'processing'].includes(status)) {
      break;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }

  const events = await fetchJson(
    `${backendUrl}/api/scaffolder/v2/tasks/${taskId}/events`,
  );
  const log = events
    .filter((event: any) => event.type === 'log')
    .map((event: any) => event.body.message)
    .join('\n');
  await screenshot(page, shot);
  expect(`${status}: ${log.slice(-3000)}`).toMatch(/^completed: /);
  return log;
}

/** Filters the task page's log to stack events and waits for them to show. */
async function expectStackEventsOnPage(page: Page, shot: string) {
  await page.getByPlaceholder('Search').last().fill('AWS::');
  await page
    .getByText(/\(AWS::[A-Za-z:]+\) (CREATE|UPDATE)_/)
    .first()
    .waitFor();
  await screenshot(page, shot);
}

/** Retries an assertion until it passes or 90 seconds have gone by. */
async function eventually(assertion: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
  }
}

const apiBase = `${backendUrl}/api/forecast/entity/default/component/${workloadName}`;

/** Waits until the workflow has as many succeeded runs as expected. */
async function waitForSucceededWorkflows(expected: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  let statuses: string[] = [];
  while (Date.now() < deadline) {
    const body = await fetchJson(`${apiBase}/executions?pipeline=workflow`);
    statuses = body.executions.map((e: { status: string }) => e.status);
    const failed = statuses.filter(
      status => status !== 'RUNNING' && status !== 'SUCCEEDED',
    );
    if (failed.length > 0) {
      throw new Error(
        `A workflow run ended ${failed[0]}: ${JSON.stringify(body.executions)}`,
      );
    }
    if (statuses.filter(status => status === 'SUCCEEDED').length >= expected) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  throw new Error(
    `Timed out waiting for ${expected} succeeded workflow runs; saw ${statuses.join(
      ', ',
    )}`,
  );
}

describe('forecast workflow on real data', () => {
  let portal: Portal;
  let browser: Browser;
  let page: Page;
  const data = prepareData();

  beforeAll(async () => {
    portal = await startPortal();
    for (const template of [
      'forecast-dependency',
      'forecast-workload',
      'forecast-data-upload',
    ]) {
      await waitForCatalogEntity('template', template);
    }
    browser = await launchBrowser();
    page = await signInAsGuest(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('deploys the dependency stack', async () => {
    await open(page, '/create/templates/default/forecast-dependency');
    await pickOwner(page);
    await screenshot(page, '01-dependency-form');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Review' }).click();

    const log = await createAndWait(page, '02-dependency-task');
    await expectStackEventsOnPage(page, '02-dependency-stack-events');
    expect(log).toContain('DataBucket (AWS::S3::Bucket) CREATE_COMPLETE');
    expect(log).toContain('Stack forecast-dependency is CREATE_COMPLETE');
  });

  it('deploys the workload with an uploaded file', async () => {
    await open(page, '/create/templates/default/forecast-workload');
    await page.locator('#root_name').fill(workloadName);
    await pickOwner(page);
    await page.getByRole('button', { name: 'Next' }).click();

    await selectOption(page, 'root_dataSource', 'Upload a CSV file');
    await page.locator('input[type=file]').first().setInputFiles(data.first);
    await screenshot(page, '03-workload-data');
    await page.getByRole('button', { name: 'Next' }).click();

    expect(await page.locator('#root_forecastHorizon').inputValue()).toBe('24');
    for (const quantile of ['0.1', '0.5', '0.9']) {
      const checkbox = page.getByRole('checkbox', {
        name: quantile,
        exact: true,
      });
      expect(await checkbox.isChecked()).toBe(true);
    }
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Review' }).click();

    // The log shows each stack event as CloudFormation reports it.
    const log = await createAndWait(page, '04-workload-task');
    await expectStackEventsOnPage(page, '04-workload-stack-events');
    expect(log).toMatch(
      /WorkflowStateMachine \(AWS::StepFunctions::StateMachine\) CREATE_COMPLETE/,
    );
    expect(log).toContain('Stack forecast-electricity is CREATE_COMPLETE');
    expect(log).toMatch(
      /Uploaded s3:\/\/.*\/forecast-electricity\/input\/target\//,
    );
  });

  it('reruns the workflow from the catalog page', async () => {
    await open(page, `${entityPath}/forecast`);
    const row = page
      .getByRole('row')
      .filter({ hasText: 'End-to-end workflow' });
    await row.getByRole('button', { name: /rerun/i }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('forecast-electricity-workflow').first().waitFor();
    await screenshot(page, '05-rerun-dialog');
    await dialog.getByRole('button', { name: /rerun/i }).click();
    await page
      .getByText(/rerun by guest/)
      .first()
      .waitFor();

    await waitForSucceededWorkflows(1);
    await open(page, `${entityPath}/forecast`);
    const workflowRow = page
      .getByRole('row')
      .filter({ hasText: 'End-to-end workflow' });
    await workflowRow.getByText('Succeeded').waitFor();
    expect(await workflowRow.innerText()).toContain('Succeeded');
    await screenshot(page, '06-workflow-succeeded');
  });

  it('shows exports, the chart for every item and accuracy', async () => {
    await open(page, `${entityPath}/forecast`);
    await page
      .getByText(/_part0\.csv/)
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await page.getByText(/_part0\.csv/).count()).toBe(1);

    for (const item of data.items) {
      await page.getByLabel('Item').click();
      await page.getByRole('option', { name: item, exact: true }).click();
      await page
        .getByText(/forecast points, band p10 to p90/)
        .first()
        .waitFor();
      const chart = page.locator('.recharts-surface').first();
      await chart.waitFor();
      expect(
        await page.locator('.recharts-area-area, .recharts-area path').count(),
      ).toBeGreaterThan(0);
      await screenshot(page, `07-chart-${item}`);
    }

    await page.getByText('Average wQL').first().waitFor();
    for (const metric of ['WAPE', 'RMSE', 'MASE', 'MAPE']) {
      expect(
        await page.getByText(metric, { exact: true }).count(),
      ).toBeGreaterThan(0);
    }
    await screenshot(page, '08-accuracy');
  });

  it('updates the stack when the template runs again', async () => {
    await open(page, '/create/templates/default/forecast-workload');
    await page.locator('#root_name').fill(workloadName);
    await pickOwner(page);
    await page.getByRole('button', { name: 'Next' }).click();
    await selectOption(page, 'root_dataSource', 'Data already in S3');
    await page
      .locator('#root_inputDataPrefix')
      .fill('forecast-electricity/input/');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await selectOption(page, 'root_schedule', 'Weekly, Mondays at 06:00 UTC');
    await page.getByRole('button', { name: 'Review' }).click();

    const log = await createAndWait(page, '09-workload-update-task');
    expect(log).toContain(
      'Stack forecast-electricity exists (CREATE_COMPLETE); updating it',
    );
    expect(log).toMatch(
      /forecast-electricity \(AWS::CloudFormation::Stack\) UPDATE_COMPLETE/,
    );
    expect(log).toMatch(
      /WorkflowSchedule \(AWS::Scheduler::Schedule\) CREATE_COMPLETE/,
    );

    const entities = await fetchJson(
      `${backendUrl}/api/catalog/entities/by-query?filter=spec.type=forecast-workload`,
    );
    expect(entities.items.map((e: any) => e.metadata.name)).toEqual([
      workloadName,
    ]);

    // The backend may serve the stack from its cache for up to 30 seconds.
    await eventually(async () => {
      const workload = await fetchJson(`${apiBase}/workload`);
      expect(workload.stackStatus).toBe('UPDATE_COMPLETE');
      expect(workload.schedule?.expression).toMatch(/^cron\(/);
    });
    await open(page, entityPath);
    await page
      .getByText(/cron\(/)
      .first()
      .waitFor();
    await screenshot(page, '09-overview-with-schedule');
  });

  it('exports a second forecast after new data arrives', async () => {
    await open(page, '/create/templates/default/forecast-data-upload');
    // With a single workload in the catalog the picker selects it and locks.
    const picker = page.locator('#root_workload');
    await picker.waitFor();
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await picker.isDisabled()) || (await picker.inputValue())) {
        break;
      }
      await page.waitForTimeout(500);
    }
    if (!(await picker.inputValue())) {
      await picker.click();
      await page
        .getByRole('option', { name: new RegExp(workloadName) })
        .first()
        .click();
    }
    expect(await picker.inputValue()).toContain(workloadName);
    await page.locator('input[type=file]').first().setInputFiles(data.second);
    await page.getByRole('button', { name: 'Review' }).click();
    const log = await createAndWait(page, '10-upload-task');
    expect(log).toMatch(
      /Uploaded s3:\/\/.*\/forecast-electricity\/input\/target\//,
    );

    await waitForSucceededWorkflows(2);

    // The backend caches list results for up to 30 seconds.
    let active: any[] = [];
    await eventually(async () => {
      const exports = await fetchJson(`${apiBase}/exports`);
      active = exports.exports.filter((e: any) => e.status === 'ACTIVE');
      expect(active).toHaveLength(2);
    });
    expect(new Set(active.map((e: any) => e.destination)).size).toBe(2);
    for (const job of active) {
      expect(job.files.some((f: any) => f.name.endsWith('_part0.csv'))).toBe(
        true,
      );
    }

    await open(page, `${entityPath}/forecast`);
    await page
      .getByText(/_part0\.csv/)
      .nth(1)
      .waitFor({ timeout: 60_000 });
    await screenshot(page, '11-two-exports');
  });
});
