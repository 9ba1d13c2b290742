import type { Browser } from 'playwright-core';
import {
  frontendUrl,
  launchBrowser,
  Portal,
  screenshot,
  signInAsGuest,
  startPortal,
} from './portal';

jest.setTimeout(600_000);

describe('portal smoke test', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('signs in as guest and shows the catalog', async () => {
    const page = await signInAsGuest(browser);

    await page.getByRole('link', { name: 'Catalog' }).first().waitFor();
    await page
      .getByRole('heading', { name: 'Forecast Pipelines Catalog' })
      .first()
      .waitFor();
    await screenshot(page, '00-catalog');

    expect(page.url().startsWith(frontendUrl)).toBe(true);
  });
});
