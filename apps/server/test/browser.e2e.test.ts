import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@strata/api';
import { createServiceToken, openDatabase } from '@strata/db';
import { launchBrowser, screenshotPath } from '@strata/vitest-config/browser';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, servePortal, startStrata } from './start.js';

let dir: string;
let strata: Awaited<ReturnType<typeof startStrata>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let portal: Server | undefined;
let token = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-e2e-'));
  // A fresh database file: the server creates, migrates and seeds it, as on first start.
  strata = await startStrata({
    STRATA_DB: join(dir, 'strata.db'),
    STRATA_DEMO_RETAIL: '6000',
    STRATA_DEMO_CORPORATE: '600',
  });
  browser = await launchBrowser();
  context = browser.context;
  // A token for the test's own API calls and for the portal page's widget.
  const handle = openDatabase(join(dir, 'strata.db'));
  try {
    token = createServiceToken(handle, { name: 'e2e', role: 'viewer' }).token;
  } finally {
    handle.close();
  }
});
afterAll(async () => {
  await browser?.close();
  await strata?.stop();
  portal?.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = () =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${strata.url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });

/** Console errors of every dashboard page, e.g. a Content-Security-Policy refusal. */
const consoleErrors: string[] = [];
/** The Content-Security-Policy header of the last page opened. */
let lastCsp = '';

/** Opens a dashboard page and waits until it is hydrated (its controls respond). */
async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const response = await page.goto(`${strata.url}${path}`);
  lastCsp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
  await page.locator('body[data-hydrated]').waitFor();
  return page;
}

/** The bars of a funnel as (stage, count), read from the page. */
async function bars(page: Page, scope = '') {
  const found = page.locator(`${scope} .strata-funnel [data-key]`);
  await found.first().waitFor();
  return found.evaluateAll((nodes) =>
    nodes.map((n) => [n.getAttribute('data-key'), Number(n.getAttribute('data-value'))]),
  );
}

describe('signing in', () => {
  it('sends the first visitor to the first-run setup, which creates the admin and signs them in', async () => {
    const page = await context.newPage();
    await page.goto(`${strata.url}/lifecycle`);
    await page.waitForURL(/\/setup$/);
    await page.locator('body[data-hydrated]').waitFor();
    await page.screenshot({ path: screenshotPath(repoRoot, 'dashboard-setup-zh'), fullPage: true });
    const form = page.getByTestId('setup');
    await form.locator('[name=username]').fill('admin');
    await form.locator('[name=displayName]').fill('王管理');
    await form.locator('[name=password]').fill('a long admin password');
    await form.locator('[name=again]').fill('a long admin password');
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/\/lifecycle/);
    await expect
      .poll(() => page.getByTestId('signed-in-as').textContent())
      .toBe('王管理（管理员）');
    // the session cookie cannot be read by scripts
    const cookies = await context.cookies(strata.url);
    expect(cookies.find((c) => c.name === 'strata_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    await page.close();
  });

  it('signs out, refuses a wrong password, and signs in again to the page asked for', async () => {
    const page = await open('/lifecycle');
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${strata.url}/lifecycle?period=2026-09`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('body[data-hydrated]').waitFor();
    const form = page.getByTestId('sign-in');
    await form.locator('[name=username]').fill('admin');
    await form.locator('[name=password]').fill('not the password');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('用户名或密码错误');
    await page.screenshot({ path: screenshotPath(repoRoot, 'dashboard-login-zh'), fullPage: true });
    await form.locator('[name=password]').fill('a long admin password');
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/\/lifecycle\?period=2026-09/);
    await page.close();
  });
});

describe('the dashboard', () => {
  it('shows the lifecycle funnel of the demo bank with the API’s numbers, in Chinese', async () => {
    const page = await open('/lifecycle');
    // Under a strict Content-Security-Policy (scripts from this origin and Kit's hashed start-up
    // script only), the page still hydrates and the browser refuses nothing.
    expect(lastCsp).toMatch(/script-src 'self' 'sha256-[^']+'/);
    expect(lastCsp).toMatch(/frame-ancestors 'none'/);
    expect(consoleErrors.filter((t) => /Content.Security.Policy|Refused to/i.test(t))).toEqual([]);
    const funnel = await api().lifecycle.funnel.query();
    expect(await bars(page)).toEqual(funnel.rows.map((r) => [r.stage, r.count]));
    await expect
      .poll(() => page.getByTestId('total-customers').textContent())
      .toBe(funnel.total.toLocaleString('en-US'));
    expect(await page.locator('h1').textContent()).toBe('客户生命周期');
    expect(await page.locator('.strata-funnel .label').first().textContent()).toBe('潜在');
    // The migration matrix below: its cells add up to the customers known in both periods.
    const migration = await api().lifecycle.migration.query();
    const cells = await page
      .locator('[data-testid=migration] td[data-from]:not([data-from=""])')
      .evaluateAll((tds) => tds.reduce((a, td) => a + Number(td.getAttribute('data-count')), 0));
    expect(cells).toBe(migration.matrix.total);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-lifecycle-zh'),
      fullPage: true,
    });
    await page.close();
  });

  it('switches to English and back, changing the labels', async () => {
    const page = await open('/lifecycle');
    await page.getByTestId('switch-language').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Customer lifecycle');
    expect(await page.locator('.strata-funnel .label').first().textContent()).toBe('Prospect');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-lifecycle-en'),
      fullPage: true,
    });
    await page.getByTestId('switch-language').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('客户生命周期');
    await page.close();
  });

  it('shows a branch’s funnel when a branch and period are chosen', async () => {
    const page = await open('/lifecycle');
    const units = await api().org.units.query();
    const branch = units.find((u) => u.kind === 'branch');
    if (!branch) throw new Error('no branch');
    await page.getByTestId('branch').selectOption(String(branch.id));
    await page.waitForURL(/branch=/);
    await page.getByTestId('period').selectOption('2026-06');
    await page.waitForURL(/period=2026-06/);
    const funnel = await api().lifecycle.funnel.query({ period: '2026-06', branch: branch.id });
    await expect
      .poll(() => page.getByTestId('total-customers').textContent())
      .toBe(funnel.total.toLocaleString('en-US'));
    expect(await bars(page)).toEqual(funnel.rows.map((r) => [r.stage, r.count]));
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-lifecycle-branch'),
      fullPage: true,
    });
    await page.close();
  });
});

describe('the example portal page', () => {
  it('renders <strata-lifecycle-funnel> from another origin with the API’s numbers', async () => {
    const served = await servePortal(
      join(repoRoot, 'packages/widgets/examples/portal.html'),
      strata.url,
      token,
    );
    portal = served.server;
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    const funnel = await api().lifecycle.funnel.query({ branch: '330100' });
    // Playwright's CSS locators pierce the widget's open shadow root.
    expect(await bars(page, 'strata-lifecycle-funnel')).toEqual(
      funnel.rows.map((r) => [r.stage, r.count]),
    );
    const hasShadow = await page
      .locator('#funnel')
      .evaluate(
        (el) => el.shadowRoot !== null && el.shadowRoot.querySelector('.strata-funnel') !== null,
      );
    expect(hasShadow).toBe(true);
    const meta = await page.locator('strata-lifecycle-funnel .meta').textContent();
    expect(meta).toContain('杭州分行');
    expect(errors).toEqual([]);
    await page.screenshot({ path: screenshotPath(repoRoot, 'portal-widget-zh'), fullPage: true });
    await page.close();
  });
});
