import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@strata/api';
import { createServiceToken, createUser, openDatabase } from '@strata/db';
import { launchBrowser, screenshotPath } from '@strata/vitest-config/browser';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startStrata } from './start.js';

let dir: string;
let strata: Awaited<ReturnType<typeof startStrata>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let token = '';
/** A head-office token, for what only the head office may read (the import history). */
let hqToken = '';

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
  // A token for the test's own API calls.
  const handle = openDatabase(join(dir, 'strata.db'));
  try {
    token = createServiceToken(handle, { name: 'e2e', role: 'viewer' }).token;
    hqToken = createServiceToken(handle, { name: 'e2e-hq', role: 'strategist' }).token;
  } finally {
    handle.close();
  }
});
afterAll(async () => {
  await browser?.close();
  await strata?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const api = (bearer = token) =>
  createTRPCClient<AppRouter>({
    links: [
      httpLink({ url: `${strata.url}/trpc`, headers: { authorization: `Bearer ${bearer}` } }),
    ],
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
    await page.waitForURL(/\/overview$/); // the home page
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
    expect(await page.locator('[data-testid=stage-definitions] li').count()).toBe(10);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-lifecycle-zh'),
      fullPage: true,
    });
    // the Sankey's bands carry the same flows as the matrix
    const bands = await page
      .locator('[data-testid=sankey] path.band')
      .evaluateAll((ps) => ps.reduce((a, p) => a + Number(p.getAttribute('data-value')), 0));
    const arrivals = migration.matrix.arrivals.reduce((a, b) => a + b, 0);
    expect(bands).toBe(migration.matrix.total + arrivals);
    // a migration cell drills to its customers: as many as the cell says
    const cell = page.locator(
      '[data-testid=migration] td[data-from="mature"][data-to="declining"]',
    );
    const count = Number(await cell.getAttribute('data-count'));
    expect(count).toBeGreaterThan(0);
    await cell.locator('button').click();
    await page.waitForURL(/\/customers\?stage=declining&previous=mature/);
    await expect
      .poll(() => page.getByTestId('customer-total').textContent())
      .toMatch(new RegExp(`共 ${count.toLocaleString('en-US')} 位客户`));
    await page.close();
  });

  it('opens on the overview: the bank’s customers, AUM, trend and tiers, with the API’s numbers', async () => {
    const page = await open('/');
    expect(new URL(page.url()).pathname).toBe('/overview');
    const funnel = await api().lifecycle.funnel.query();
    await expect
      .poll(() => page.getByTestId('overview-customers').textContent())
      .toBe(funnel.total.toLocaleString('en-US'));
    expect(await page.locator('[data-testid=overview-trend] svg.strata-sparkline').count()).toBe(2);
    expect(await page.locator('[data-testid=overview-tiers] tbody tr').count()).toBeGreaterThan(2);
    const deposits = await api().insight.deposits.query();
    expect(deposits.settlement).toBeGreaterThan(0);
    expect(await page.getByTestId('deposit-structure').getAttribute('aria-label')).toContain(
      `${((100 * deposits.settlement) / deposits.deposits).toFixed(1)}%`,
    );
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-overview-zh'),
      fullPage: true,
    });
    await page.close();
  });

  it('builds a segment in the rule builder: the live count matches the API, and it saves', async () => {
    const page = await open('/segments');
    await page.getByTestId('field-0').selectOption('aum');
    await page.getByTestId('op-0').selectOption('>=');
    await page.getByTestId('value-0').fill('300000');
    await page.getByTestId('field-1').selectOption('kind');
    await page.getByTestId('value-1').selectOption('retail');
    await page.getByTestId('add-condition').click();
    await page.getByTestId('field-2').selectOption('age');
    await page.getByTestId('op-2').selectOption('>=');
    await page.getByTestId('value-2').fill('45');
    const rule = {
      kind: 'and',
      of: [
        { kind: 'cmp', field: 'aum', op: '>=', value: 300000 },
        { kind: 'cmp', field: 'kind', op: '=', value: 'retail' },
        { kind: 'cmp', field: 'age', op: '>=', value: 45 },
      ],
    };
    const expected = await api().segments.preview.query({ rule, sample: 0 });
    await expect
      .poll(() => page.getByTestId('preview-count').textContent())
      .toBe(expected.count.toLocaleString('en-US'));
    expect(await page.getByTestId('preview-sentence').textContent()).toBe(
      expected.sentence['zh-CN'],
    );
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-segments-zh'),
      fullPage: true,
    });
    await page.getByTestId('segment-key').fill('affluent_45');
    await page.getByTestId('segment-name').fill('45岁以上富裕客户');
    await page.locator('[data-testid=segment-save] input').nth(2).fill('Affluent 45+');
    await page.getByTestId('segment-submit').click();
    await expect
      .poll(() => page.getByTestId('segment-message').textContent())
      .toMatch(/affluent_45/);
    await page.locator('[data-testid=segment-list] tr[data-key=affluent_45]').waitFor();
    const saved = (await api().segments.list.query()).find((x) => x.key === 'affluent_45');
    expect(saved?.rule).toEqual(rule);
    // editing a starter segment whose rule nests conditions: the rule is kept, the priority changes
    const seniors = (await api().segments.list.query()).find((x) => x.key === 'seniors');
    await page.getByTestId('edit-seniors').click();
    await page.waitForURL(/\/segments\?edit=seniors/);
    await page.getByTestId('rule-kept').waitFor();
    await page.locator('[data-testid=segment-save] input[type=number]').fill('45');
    await page.getByTestId('segment-submit').click();
    await expect.poll(() => page.getByTestId('segment-message').textContent()).toMatch(/seniors/);
    const after = (await api().segments.list.query()).find((x) => x.key === 'seniors');
    expect(after?.priority).toBe(45);
    expect(after?.rule).toEqual(seniors?.rule);
    await page.close();
  });

  it('runs the clustering lab, picks k by elbow and silhouette, renames a cluster and refreshes with it', async () => {
    const page = await open('/segments');
    await page.getByTestId('open-lab').click();
    await page.waitForURL(/\/segments\/lab$/);
    await page.getByTestId('kmax').fill('9');
    await page.getByTestId('lab-run').click();
    await page.getByTestId('lab-profiles').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=lab-charts] g[data-k]').count()).toBe(2 * 8); // k = 2…9, two charts
    // the refresh's set-up: k = 8 on every retail customer
    await page.locator('[data-testid=lab-charts] button', { hasText: 'k=8' }).first().click();
    expect(await page.locator('[data-testid=lab-profiles] tbody tr').count()).toBe(8);
    const first = page.locator('[data-testid=lab-profiles] tbody tr').first().locator('input');
    await first.fill('高净值稳健客群');
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-cluster-lab-zh'),
      fullPage: true,
    });
    await page.getByTestId('apply-names').click();
    await expect
      .poll(() => page.getByTestId('names-applied').textContent(), { timeout: 60_000 })
      .toBe('已按新名称刷新。');
    // the refresh's cluster 1 is the lab's first row (same customers), and carries the new name
    const labSize = Number(
      (
        await page
          .locator('[data-testid=lab-profiles] tbody tr')
          .first()
          .locator('td.num')
          .textContent()
      )
        ?.split(' ')[0]
        ?.replace(/,/g, ''),
    );
    const handle = openDatabase(join(dir, 'strata.db'));
    let member: number;
    try {
      const run = handle.sqlite
        .prepare("SELECT max(id) FROM insight_runs WHERE status = 'succeeded'")
        .pluck()
        .get() as number;
      expect(
        handle.sqlite
          .prepare('SELECT count(*) FROM insight_customers WHERE run_id = ? AND cluster = 0')
          .pluck()
          .get(run),
      ).toBe(labSize);
      member = handle.sqlite
        .prepare(
          'SELECT customer_id FROM insight_customers WHERE run_id = ? AND cluster = 0 LIMIT 1',
        )
        .pluck()
        .get(run) as number;
    } finally {
      handle.close();
    }
    const profile = await api().insight.profile.query({ customer: member });
    expect(profile.tags.find((tag) => tag.kind === 'cluster')?.label['zh-CN']).toBe(
      '高净值稳健客群',
    );
    // the cluster saved as a segment: its approximating rule opens in the rule builder
    await page.getByTestId('as-segment-0').click();
    await page.waitForURL(/\/segments\?rule=/);
    await page.getByTestId('preview-count').waitFor();
    expect(await page.getByTestId('segment-name').inputValue()).toBe('高净值稳健客群');
    await page.getByTestId('segment-key').fill('cluster_hnw');
    await page.locator('[data-testid=segment-save] input').nth(2).fill('High net worth, steady');
    await page.getByTestId('segment-submit').click();
    await expect
      .poll(() => page.getByTestId('segment-message').textContent())
      .toMatch(/cluster_hnw/);
    const saved = (await api().segments.list.query()).find((x) => x.key === 'cluster_hnw');
    const labRule = JSON.parse(new URL(page.url()).searchParams.get('rule') ?? 'null');
    expect(saved?.rule).toEqual(labRule);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-cluster-segment-zh'),
      fullPage: true,
    });
    await page.close();
  }, 120_000);

  it('lets the admin create a user in settings, and shows the configuration in force', async () => {
    const page = await open('/settings');
    const form = page.getByTestId('create-user');
    await form.locator('[name=username]').fill('zhao.view');
    await form.locator('[name=displayName]').fill('赵只读');
    await form.locator('[name=role]').selectOption('viewer');
    await form.locator('[name=password]').fill('a long viewer password');
    await page.getByTestId('create-user-submit').click();
    await page.locator('[data-testid=users] tr[data-user="zhao.view"]').waitFor();
    const handle = openDatabase(join(dir, 'strata.db'));
    try {
      expect(
        handle.sqlite.prepare("SELECT role FROM users WHERE username = 'zhao.view'").pluck().get(),
      ).toBe('viewer');
      expect(
        handle.sqlite
          .prepare("SELECT count(*) FROM audit_log WHERE action = 'user.create'")
          .pluck()
          .get(),
      ).toBe(1);
    } finally {
      handle.close();
    }
    expect(await page.locator('[data-testid=contact-policy] tbody tr').count()).toBe(5);
    // the contact policy is the bank's to set: a longer cooling-off, saved and audited
    await page.getByTestId('cooling-off').fill('45');
    await page.getByTestId('save-policy').click();
    await page.getByTestId('saved-policy').filter({ hasText: '已保存' }).waitFor();
    // a ladder rung below the one beneath it is refused, with the rung and the reason
    await page.locator('[data-testid=retailLadder] input[data-rung=wealth]').fill('10000');
    await page.getByTestId('save-ladders').click();
    await expect
      .poll(() => page.getByTestId('saved-ladders').textContent())
      .toBe('财富的下限须高于金卡（5万）');
    const check = openDatabase(join(dir, 'strata.db'));
    try {
      const stored = check.sqlite.prepare('SELECT key, value FROM bank_settings').all() as {
        key: string;
        value: string;
      }[];
      expect(stored.map((r) => r.key)).toEqual(['contactPolicy']);
      expect(JSON.parse(stored[0]?.value ?? '{}').coolingOffDays).toBe(45);
    } finally {
      check.close();
    }
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-settings-zh'),
      fullPage: true,
    });
    await page.close();
  });

  it('lets the admin make, rotate and revoke an embed key, with copy-paste snippets', async () => {
    const page = await open('/settings');
    await page.getByTestId('embed-name').fill('客户经理工作台');
    await page
      .getByTestId('embed-origins')
      .fill('https://portal.bank.example\nhttp://10.1.2.3:8080');
    await page.getByTestId('embed-create').click();
    const secret = await page.getByTestId('embed-secret-value').textContent();
    expect(secret).toMatch(/^[\w-]{43}$/);
    const handle = openDatabase(join(dir, 'strata.db'));
    let kid = '';
    try {
      const row = handle.sqlite
        .prepare('SELECT kid, origins, secret FROM embed_keys ORDER BY id DESC LIMIT 1')
        .get() as { kid: string; origins: string; secret: string };
      kid = row.kid;
      expect(JSON.parse(row.origins)).toEqual([
        'https://portal.bank.example',
        'http://10.1.2.3:8080',
      ]);
      expect(row.secret).toBe(secret);
    } finally {
      handle.close();
    }
    const pageSnippet = await page.getByTestId('snippet-page').textContent();
    expect(pageSnippet).toContain(`${strata.url}/widgets/strata-widgets.js`);
    expect(pageSnippet).toContain('<strata-next-actions api-base=');
    expect(await page.getByTestId('snippet-node').textContent()).toContain(`kid: '${kid}'`);
    expect(await page.getByTestId('snippet-java').textContent()).toContain(`"${kid}"`);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-embed-keys-zh'),
      fullPage: true,
    });
    // rotate: a new key, the old one keeps working for a day
    await page.locator(`tr[data-kid="${kid}"]`).getByRole('button', { name: '轮换' }).click();
    await expect
      .poll(() => page.locator(`tr[data-kid="${kid}"] [data-testid=key-state]`).textContent())
      .toMatch(/^有效至/);
    const rotated = await page.getByTestId('embed-secret-value').textContent();
    expect(rotated).not.toBe(secret);
    // revoke the old one now
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator(`tr[data-kid="${kid}"]`).getByRole('button', { name: '吊销' }).click();
    await expect
      .poll(() => page.locator(`tr[data-kid="${kid}"] [data-testid=key-state]`).textContent())
      .toBe('已吊销');
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

  it('shows a segment’s funnel (its members only, from the insight run)', async () => {
    const page = await open('/lifecycle');
    await page.getByTestId('segment').selectOption('payroll_no_wealth');
    await page.waitForURL(/segment=payroll_no_wealth/);
    const funnel = await api().lifecycle.funnel.query({ segment: 'payroll_no_wealth' });
    await expect
      .poll(() => page.getByTestId('total-customers').textContent())
      .toBe(funnel.total.toLocaleString('en-US'));
    expect(await bars(page)).toEqual(funnel.rows.map((r) => [r.stage, r.count]));
    const whole = await api().lifecycle.funnel.query({});
    expect(funnel.total).toBeGreaterThan(0);
    expect(funnel.total).toBeLessThan(whole.total);
    await page.close();
  });
});

describe('the strategy journey', () => {
  it('finds the biggest gap on the map, creates a strategy from it, makes a list, imports the outcomes and sees the uplift on the board', async () => {
    const map = await api().strategies.map.query({ rankBy: 'customers' });
    const gap = map.gaps[0];
    if (!gap) throw new Error('no gap');
    const page = await open('/map?shade=customers');
    const firstGap = page.locator('[data-testid=gaps] tbody tr').first();
    expect([
      await firstGap.getAttribute('data-row'),
      await firstGap.getAttribute('data-stage'),
    ]).toEqual([gap.row, gap.stage]);
    await page
      .locator(
        `.strata-strategy-matrix td[data-row="${gap.row}"][data-stage="${gap.stage}"] button`,
      )
      .click();
    await expect
      .poll(() => page.getByTestId('cell-customers').textContent())
      .toBe(gap.customers.toLocaleString('en-US'));
    await page.screenshot({ path: screenshotPath(repoRoot, 'dashboard-map-zh'), fullPage: true });

    // "create strategy" from the gap cell: the audience is pre-filled
    await page.getByTestId('create-from-cell').click();
    await page.waitForURL(/\/strategies\/new\?/);
    expect(await page.getByTestId('segment').inputValue()).toBe(gap.row);
    expect(await page.getByTestId('stage').inputValue()).toBe(gap.stage);
    await page.getByTestId('name').fill('缺口承接：' + gap.row);
    await page.getByTestId('control-share').fill('30');
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-strategy-new-zh'),
      fullPage: true,
    });
    await page.getByTestId('save-strategy').click();
    await page.waitForURL(/\/strategies\/[a-z0-9-]+$/);
    const key = new URL(page.url()).pathname.split('/').pop() as string;
    await page.getByTestId('activate').click();
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('生效');
    // an edit makes version 2, every field carried over
    await page.getByTestId('edit-strategy').click();
    await page.waitForURL(/\/strategies\/new\?edit=/);
    expect(await page.getByTestId('segment').inputValue()).toBe(gap.row);
    expect(await page.getByTestId('control-share').inputValue()).toBe('30');
    await page.getByTestId('name').fill(`缺口承接 v2：${gap.row}`);
    await page.getByTestId('save-strategy').click();
    await page.waitForURL(new RegExp(`/strategies/${key}$`));
    const edited = await api().strategies.get.query({ key });
    expect(edited.currentVersion).toBe(2);
    expect(edited.definition.controlShare).toBe(0.3);
    await page.getByTestId('preview').click();
    await expect.poll(() => page.getByTestId('preview-result').textContent()).toMatch(/入名单/);
    await page.getByTestId('generate').click();
    const row = page.locator('[data-testid=lists] tr[data-list]').first();
    await row.waitFor();
    const listId = Number(await row.getAttribute('data-list'));
    const list = await api().lists.get.query({ id: listId });
    expect(list.strategyKey).toBe(key);

    // the export for the CRM, under the list's campaign code (signed in: the page's cookies)
    const exported = await page.request.get(`${strata.url}/api/lists/${listId}.csv`);
    const lines = (await exported.text()).trim().split('\r\n');
    const code = lines[1]?.split(',')[0];
    expect(code).toBe(`${key}-L${listId}`);

    // the CRM's results: 25 % of the contacted customers convert, 10 % of the control group
    const entries: { externalId: string; arm: string }[] = [];
    for (let offset = 0; ; offset += 1_000) {
      const got = await api().lists.entries.query({ id: listId, limit: 1_000, offset });
      entries.push(...got);
      if (got.length < 1_000) break;
    }
    let seed = 20261122;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const file = join(dir, 'crm-results.csv');
    writeFileSync(
      file,
      [
        'outcome_id,customer_id,campaign_code,channel,contacted_on,converted',
        ...entries.map(
          (e, i) =>
            `R${i},${e.externalId},${code},branch_rm,2026-11-02,${next() < (e.arm === 'treatment' ? 0.25 : 0.1) ? 1 : 0}`,
        ),
      ].join('\n'),
    );
    await page.getByTestId('outcomes-file').setInputFiles(file);
    await expect
      .poll(() => page.getByTestId('upload-report').textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`${entries.length.toLocaleString('en-US')} 条记入名单`));
    await expect.poll(() => page.getByTestId('uplift').textContent()).not.toBe('—');
    // an outcome entered by hand: a treatment customer converted at the branch
    const treated = entries.find((e) => e.arm === 'treatment');
    if (!treated) throw new Error('no treatment customer');
    await page.getByTestId('record-customer').fill(treated.externalId);
    await page.getByTestId('record-result').selectOption('converted');
    await page.getByTestId('record-amount').fill('30000');
    await page.getByTestId('record-submit').click();
    await expect
      .poll(() => page.getByTestId('record-message').textContent())
      .toBe(`已录入客户 ${treated.externalId} 的结果。`);
    const entered = openDatabase(join(dir, 'strata.db'));
    try {
      expect(
        entered.sqlite
          .prepare(
            'SELECT o.converted, o.amount FROM list_outcomes o JOIN customers c ON c.id = o.customer_id WHERE o.list_id = ? AND c.external_id = ?',
          )
          .get(listId, treated.externalId),
      ).toEqual({ converted: 1, amount: 30_000 });
    } finally {
      entered.close();
    }
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-strategy-review-zh'),
      fullPage: true,
    });
    await page.close();

    // the board shows the same uplift as the API
    const boardRow = (await api().outcomes.board.query()).find((r) => r.key === key);
    if (!boardRow?.uplift) throw new Error('no uplift on the board');
    const board = await open('/board');
    const pts = (x: number) => (x * 100).toFixed(1);
    expect(
      await board
        .locator(`[data-testid=board] tr[data-key="${key}"] [data-testid=board-uplift]`)
        .textContent(),
    ).toBe(
      `${pts(boardRow.uplift.value)} [${pts(boardRow.uplift.ci[0])}, ${pts(boardRow.uplift.ci[1])}]`,
    );
    // and the recommendation with its reason, as the API gives it
    if (!boardRow.recommendation) throw new Error('no recommendation on the board');
    expect(
      await board
        .locator(`[data-testid=board] tr[data-key="${key}"] [data-testid=board-recommendation]`)
        .textContent(),
    ).toContain(boardRow.recommendation.reasons['zh-CN']);
    expect(boardRow.recommendation.action).toBe('scale_up');
    expect(boardRow.uplift.ci[0]).toBeLessThan(0.15);
    expect(boardRow.uplift.ci[1]).toBeGreaterThan(0.15);
    await board.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-board-zh'),
      fullPage: true,
    });
    await board.getByTestId('switch-language').click();
    await expect.poll(() => board.locator('h1').textContent()).toBe('Strategy board');
    await board.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-board-en'),
      fullPage: true,
    });
    await board.getByTestId('switch-language').click();
    // closing a page in the middle of a navigation can hang Chromium: wait for it to land
    await expect.poll(() => board.locator('h1').textContent()).toBe('策略管理看板');
    await board.close();
  }, 120_000);
});

describe('the import wizard', () => {
  it('imports a file with bad rows: the mapping from Chinese headers, the quality report, nothing written, and the error file', async () => {
    const some = (await api().customers.search.query({ kind: 'retail', limit: 3 })).rows;
    const [a, b, c] = some.map((x) => x.externalId);
    const file = join(dir, '事件.csv');
    writeFileSync(
      file,
      '\uFEFF事件编号;客户号;事件类型;发生日期;金额\r\n' +
        `W-1;${a};large_inflow;2026-10-03;500000\r\n` +
        `W-2;${b};birthday;2026-10-04;\r\n` +
        `W-3;NOBODY;complaint;2026-10-05;\r\n` +
        `W-4;${c};salary_credited;2026-13-01;8000\r\n`,
    );
    const before = (await api(hqToken).imports.list.query({ limit: 1 }))[0]?.id ?? 0;
    const page = await open('/data');
    await page.getByTestId('import-kind').selectOption('events');
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-next').click();
    // the Chinese headers mapped themselves; the delimiter was found
    await page.getByTestId('import-mapping').waitFor();
    expect(await page.locator('select[data-field=customer_id]').inputValue()).toBe('客户号');
    expect(await page.locator('select[data-field=occurred_on]').inputValue()).toBe('发生日期');
    expect(await page.locator('[data-testid=import-preview] tbody tr').count()).toBe(4);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-import-map-zh'),
      fullPage: true,
    });
    await page.getByTestId('import-start').click();
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 20_000 })
      .toMatch(/4 行中有 2 行被拒绝，整批未写入/);
    expect(await page.locator('[data-testid=import-examples] tbody tr').count()).toBe(2);
    // each refusal in Chinese, with its figures
    expect(
      await page.locator('[data-testid=import-examples] tbody tr td:last-child').allTextContents(),
    ).toEqual([
      '无对应客户: 没有客户 NOBODY（请先导入客户）',
      '格式错误: 不是 YYYY-MM-DD 格式的日期',
    ]);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-import-report-zh'),
      fullPage: true,
    });
    // nothing was written
    const run = (await api(hqToken).imports.list.query({ limit: 1 }))[0];
    expect(run?.id).toBeGreaterThan(before);
    expect(run).toMatchObject({ status: 'failed', rowsWritten: 0, rowsRejected: 2 });
    // the error file names each refused row's line, field and reason
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('error-file').click(),
    ]);
    const saved = join(dir, 'errors.csv');
    await download.saveAs(saved);
    const lines = readFileSync(saved, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('line,field,value,category,reason');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',').slice(0, 2).join(','))
        .sort(),
    ).toEqual(['4,customer_id', '5,occurred_on']);
    await page.close();
  }, 60_000);
});

describe('a branch manager', () => {
  it('searches only the branch’s customers, opens their profiles, and cannot reach another branch’s customer by URL', async () => {
    const units = await api().org.units.query();
    const [mine, other] = units.filter((u) => u.kind === 'branch');
    if (!mine || !other) throw new Error('two branches needed');
    const handle = openDatabase(join(dir, 'strata.db'));
    try {
      createUser(handle, {
        username: 'li.branch',
        displayName: '李行长',
        role: 'branch_manager',
        orgUnitId: mine.id,
        password: 'a long branch password',
      });
    } finally {
      handle.close();
    }
    const page = await open('/lifecycle');
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${strata.url}/customers`);
    await page.locator('body[data-hydrated]').waitFor();
    const form = page.getByTestId('sign-in');
    await form.locator('[name=username]').fill('li.branch');
    await form.locator('[name=password]').fill('a long branch password');
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/\/customers$/);
    // the branch's customers only: as many as the whole-bank viewer finds in that branch
    const inBranch = await api().customers.search.query({ branch: mine.id, limit: 1 });
    await expect
      .poll(() => page.getByTestId('customer-total').textContent())
      .toMatch(new RegExp(`共 ${inBranch.total.toLocaleString('en-US')} 位客户`));
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-customers-branch-zh'),
      fullPage: true,
    });
    // a customer of the branch: the profile, masked
    await page.locator('[data-testid=customer-list] tbody tr a').first().click();
    await page.waitForURL(/\/customers\/\d+$/);
    await page.getByTestId('tags').waitFor();
    expect(await page.locator('[data-testid=tags] li').count()).toBeGreaterThan(2);
    expect(await page.getByTestId('pd-phone').textContent()).toMatch(/^\d{3}\*{4}\d{4}$|^—$/);
    expect(await page.getByTestId('reveal-phone').count()).toBe(0);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'dashboard-profile-branch-zh'),
      fullPage: true,
    });
    // another branch's customer, by URL: the same answer as for no customer at all
    const elsewhere = (await api().customers.search.query({ branch: other.id, limit: 1 })).rows[0];
    if (!elsewhere) throw new Error('no customer elsewhere');
    const denied = await page.goto(`${strata.url}/customers/${elsewhere.id}`);
    expect(denied?.status()).toBe(404);
    const deniedText = await page.getByTestId('error-message').textContent();
    const none = await page.goto(`${strata.url}/customers/99999999`);
    expect(none?.status()).toBe(404);
    expect(await page.getByTestId('error-message').textContent()).toBe(deniedText);
    // and no head-office controls on the map
    await page.goto(`${strata.url}/map`);
    await page.locator('body[data-hydrated]').waitFor();
    await page.locator('.strata-strategy-matrix td button').first().click();
    await page.getByTestId('cell-customers').waitFor();
    expect(await page.getByTestId('create-from-cell').count()).toBe(0);
    await page.close();
  }, 60_000);
});
