// The widgets in three host pages Strata did not build — a plain HTML portal, a page with a
// strict Content-Security-Policy and one with hostile global CSS — served from their own origin
// by the example portal back end (packages/widgets/examples/portal-server.mjs), which signs an
// embed token per page view, against the real server and Debian's Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@strata/api';
import { createEmbedKey, createServiceToken, openDatabase, type StrataDb } from '@strata/db';
import { launchBrowser, screenshotPath } from '@strata/vitest-config/browser';
import { startPortal } from '@strata/widgets/examples/portal-server.mjs';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startStrata } from './start.js';

let dir: string;
let strata: Awaited<ReturnType<typeof startStrata>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let portal: Awaited<ReturnType<typeof startPortal>>;
let db: StrataDb;
let hq = '';
let key: { kid: string; secret: string };
/** The RM the portal signs in, a treatment customer of theirs, and another RM's customer. */
let rm: { code: string; id: number };
let mine: { id: number; ext: string };
let other: { id: number; ext: string };
let listId = 0;
/** Claims of the next page views' tokens (tests change them). */
let claims: (path: string) => Record<string, unknown> = () => ({});

const ELEMENTS = [
  'strata-customer-profile',
  'strata-next-actions',
  'strata-kpi',
  'strata-lifecycle-funnel',
  'strata-strategy-map',
] as const;

const api = () =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${strata.url}/trpc`, headers: { authorization: `Bearer ${hq}` } })],
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strata-widgets-'));
  strata = await startStrata({
    STRATA_DB: join(dir, 'strata.db'),
    STRATA_DEMO_RETAIL: '6000',
    STRATA_DEMO_CORPORATE: '600',
  });
  db = openDatabase(join(dir, 'strata.db'));
  hq = createServiceToken(db, { name: 'widgets-e2e', role: 'strategist' }).token;
  // a strategy with a list, as the head office would launch it
  await api().strategies.create.mutate({
    key: 'payroll-wealth',
    definition: {
      name: '代发客户理财首购',
      nameEn: 'First wealth product for payroll customers',
      objective: 'aum',
      audience: { kind: 'cell', segment: 'payroll_no_wealth', stage: 'mature' },
      products: ['WM-90D', 'FUND-IDX'],
      channel: 'branch_rm',
      script: '您好，您每月的代发工资可以考虑配置 90 天稳健理财，起购 1 万元。',
      schedule: { kind: 'monthly', day: 3 },
      priority: 30,
      controlShare: 0.2,
      kpi: { metric: 'conversion_rate', target: 0.2 },
      evaluationDays: 30,
      owner: 'widgets-e2e',
    },
  });
  await api().strategies.setStatus.mutate({ key: 'payroll-wealth', status: 'active' });
  listId = ((await api().lists.generate.mutate({ keys: ['payroll-wealth'] }))[0] as { id: number })
    .id;
  rm = db.sqlite
    .prepare(
      `SELECT r.code, r.id FROM relationship_managers r JOIN list_entries e ON e.rm_id = r.id
       AND e.list_id = ? AND e.arm = 'treatment' GROUP BY r.id ORDER BY count(*) DESC LIMIT 1`,
    )
    .get(listId) as typeof rm;
  const pick = (where: string) =>
    db.sqlite
      .prepare(
        `SELECT c.id, c.external_id AS ext FROM list_entries e JOIN customers c ON c.id = e.customer_id
         WHERE e.list_id = ? AND e.arm = 'treatment' AND ${where} ORDER BY c.id LIMIT 1`,
      )
      .get(listId, rm.id) as { id: number; ext: string };
  mine = pick('c.rm_id = ?');
  other = pick('(c.rm_id IS NULL OR c.rm_id <> ?)');
  portal = await startPortal({
    strata: strata.url,
    kid: '',
    secret: '',
    rm: rm.code,
    customer: mine.ext,
    strategy: 'payroll-wealth',
    claims: (path: string) => claims(path),
  });
  // the portal's admin makes an embed key for the portal's origin in Strata's settings
  const made = createEmbedKey(
    db,
    { name: 'RM workbench', alg: 'HS256', origins: [portal.url] },
    { actor: 'widgets-e2e', origin: null },
  );
  key = { kid: made.key.kid, secret: made.secret as string };
  portal.setKey(key);
  browser = await launchBrowser();
  context = browser.context;
});
afterAll(async () => {
  await browser?.close();
  portal?.server.close();
  db?.close();
  await strata?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a host page and waits until every element has drawn its data (or its error). */
async function open(path: string, errors: string[] = []) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${portal.url}${path}`);
  for (const tag of ELEMENTS)
    await page.locator(`${tag} section[aria-busy="false"]`).first().waitFor();
  return page;
}

/** What one element shows, read through its open shadow root. */
const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

/** The styles that make a widget look as designed, read inside its shadow root. */
async function looks(page: Page) {
  const out: Record<string, string[]> = {};
  for (const tag of ELEMENTS)
    out[tag] = await page
      .locator(tag)
      .first()
      .evaluate((host) => {
        const pick = (sel: string, props: string[]) => {
          const el = host.shadowRoot?.querySelector(sel);
          const cs = el && host.ownerDocument.defaultView?.getComputedStyle(el);
          if (!cs) return [`${sel}: missing`];
          return props.map((p) => `${sel} ${p}=${cs.getPropertyValue(p)}`);
        };
        return [
          ...pick('section', [
            'padding-top',
            'border-top-width',
            'border-top-style',
            'background-color',
            'color',
            'font-size',
            'letter-spacing',
            'text-transform',
            'text-align',
            'width',
          ]),
          ...pick('h2', ['font-size', 'font-weight', 'color', 'display']),
          ...pick('section > *:last-child', ['height', 'width']),
        ];
      });
  return out;
}

describe('widgets in host pages', () => {
  it('draws every element in a plain HTML portal (zh-CN) with the API’s own figures', async () => {
    const errors: string[] = [];
    const origins = new Set<string>();
    const seen = (request: { url(): string }) => {
      if (request.url().startsWith('http')) origins.add(new URL(request.url()).origin);
    };
    context.on('request', seen);
    const page = await open('/portal.html', errors);
    context.off('request', seen);
    // nothing fetched but from the portal and from api-base (no fonts, maps or scripts elsewhere)
    expect([...origins].sort()).toEqual([portal.url, strata.url].sort());
    const card = await api().customers.get.query({ customer: mine.id });
    expect(await text(page, 'strata-customer-profile .meta')).toContain(card.name);
    expect(await text(page, 'strata-customer-profile .meta')).toContain(mine.ext);
    const action = page.locator('strata-next-actions [part="action"]').first();
    expect(await action.getAttribute('data-strategy')).toBe('payroll-wealth');
    expect(await action.innerText()).toContain('代发客户理财首购');
    const funnel = await api().lifecycle.funnel.query({
      branch: db.sqlite
        .prepare('SELECT org_unit_id FROM relationship_managers WHERE id = ?')
        .pluck()
        .get(rm.id) as number,
    });
    const bars = await page
      .locator('strata-lifecycle-funnel .strata-funnel [data-key]')
      .evaluateAll((nodes) =>
        nodes.map((n) => [n.getAttribute('data-key'), Number(n.getAttribute('data-value'))]),
      );
    expect(bars).toEqual(funnel.rows.map((r) => [r.stage, r.count]));
    const segment = await api().kpi.segment.query({
      key: 'payroll_no_wealth',
      branch: funnel.branch?.id,
    });
    expect(await text(page, '#kpi-segment [part="figure"]')).toBe(
      segment.customers.toLocaleString('en-US'),
    );
    expect(await page.locator('strata-strategy-map td[data-customers]').count()).toBeGreaterThan(9);
    expect(errors).toEqual([]);
    await page.screenshot({ path: screenshotPath(repoRoot, 'widgets-portal-zh'), fullPage: true });
    for (const tag of ELEMENTS)
      await page
        .locator(tag)
        .first()
        .screenshot({ path: screenshotPath(repoRoot, `widget-${tag.slice(7)}-zh`) });
    await page.close();
  });

  it('works under a strict Content-Security-Policy, in English, with no violation', async () => {
    const errors: string[] = [];
    const page = await open('/strict-csp.html', errors);
    expect(await text(page, 'strata-next-actions h2')).toBe('Next best actions');
    expect(
      await page.locator('strata-lifecycle-funnel .strata-funnel .label').first().textContent(),
    ).toBe('Prospect');
    expect(await text(page, '#kpi-strategy h2')).toBe('First wealth product for payroll customers');
    // the page's own script (no inline script allowed) saw every element's strata:load
    await expect
      .poll(() => page.locator('#events li').count(), { timeout: 15_000 })
      .toBe(ELEMENTS.length + 1);
    expect(errors).toEqual([]);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'widgets-strict-csp-en'),
      fullPage: true,
    });
    for (const tag of ELEMENTS)
      await page
        .locator(tag)
        .first()
        .screenshot({ path: screenshotPath(repoRoot, `widget-${tag.slice(7)}-en`) });
    await page.close();
  });

  it('looks the same under hostile global CSS (with the classic-script build), and leaves the host’s own layout alone', async () => {
    const plain = await open('/portal.html');
    const reference = await looks(plain);
    await plain.close();
    const errors: string[] = [];
    const page = await open('/hostile.html', errors);
    const hostile = await looks(page);
    for (const tag of ELEMENTS) {
      // everything but the widths (the two pages' columns differ) is as designed
      const strip = (lines: string[]) => lines.filter((l) => !/ width=/.test(l));
      expect(strip(hostile[tag] ?? []), tag).toEqual(strip(reference[tag] ?? []));
    }
    // the host's own elements: as they are with the widget script blocked
    const hostLook = (p: Page) =>
      Promise.all(
        ['#topbar', '#notice'].map((sel) =>
          p.locator(sel).evaluate((el) => {
            const cs = el.ownerDocument.defaultView?.getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return [box.x, box.y, box.width, box.height, cs?.color, cs?.fontSize, cs?.fontFamily];
          }),
        ),
      );
    const withWidgets = await hostLook(page);
    const globals = (p: Page) =>
      p.locator('html').evaluate((html) => {
        const view = html.ownerDocument.defaultView;
        return view ? Object.getOwnPropertyNames(view).sort() : [];
      });
    const widgetGlobals = await globals(page);
    const defined = await page
      .locator('html')
      .evaluate((html) =>
        ['strata-kpi', 'strata-next-actions'].map(
          (tag) => html.ownerDocument.defaultView?.customElements.get(tag) !== undefined,
        ),
      );
    expect(defined).toEqual([true, true]);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'widgets-hostile-css-zh'),
      fullPage: true,
    });
    await page.close();
    const bare = await context.newPage();
    await bare.route('**/widgets/strata-widgets.iife.js', (route) => route.abort());
    await bare.goto(`${portal.url}/hostile.html`);
    expect(await hostLook(bare)).toEqual(withWidgets);
    // no global but the element definitions (which live in the custom element registry)
    expect(widgetGlobals).toEqual(await globals(bare));
    await bare.close();
    expect(errors).toEqual([]);
  });

  it('a token scoped to customer A shows “not permitted” for customer B, and the API leaks nothing', async () => {
    claims = () => ({ scope: { customers: [mine.ext] }, customer: other.ext });
    try {
      const page = await open('/portal.html');
      const shown = await text(page, 'strata-customer-profile [role="alert"]');
      expect(shown).toBe('无权查看或客户不存在');
      expect(await text(page, 'strata-next-actions [role="alert"]')).toBe('无权查看或客户不存在');
      // aggregates are not for a customers-scoped token
      expect(await text(page, 'strata-lifecycle-funnel [role="alert"]')).toBe('无权查看');
      // nothing of B reached the page: not the masked name, not a tag
      const b = await api().customers.get.query({ customer: other.id });
      const shown2 = await page.locator('strata-customer-profile section').innerText();
      expect(shown2).not.toContain(b.name);
      expect(shown2).not.toContain(other.ext);
      await page.close();
    } finally {
      claims = () => ({});
    }
  });

  it('refuses an expired token and a page on an origin not on the key', async () => {
    claims = () => ({ seconds: -120 });
    try {
      const page = await open('/portal.html');
      expect(await text(page, 'strata-kpi [role="alert"]')).toBe('无权查看');
      await page.close();
    } finally {
      claims = () => ({});
    }
    // the same key, from an origin it does not list (the portal's other address)
    const errors: string[] = [];
    const page = await context.newPage();
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${portal.url.replace('127.0.0.1', 'localhost')}/portal.html`);
    await page.locator('strata-kpi section[aria-busy="false"]').first().waitFor();
    expect(await text(page, 'strata-kpi [role="alert"]')).toBe(
      '无法连接 Strata（网络中断，或本页的来源未获授权）',
    );
    expect(errors.some((e) => /CORS|Access-Control/.test(e))).toBe(true);
    await page.close();
  });

  it('records an outcome from <strata-next-actions>: in the database, in the review, and as a DOM event', async () => {
    const before = await api().kpi.strategy.query({ key: 'payroll-wealth' });
    const reviewBefore = await api().outcomes.review.query({ key: 'payroll-wealth' });
    const page = await open('/portal.html');
    await page.locator('body').evaluate((body) => {
      const seen: unknown[] = [];
      (body as unknown as { seen: unknown[] }).seen = seen;
      body.addEventListener('strata:outcome', (e: { detail?: unknown }) => seen.push(e.detail));
    });
    const action = page.locator('strata-next-actions [part="action"]').first();
    await action.locator('button[data-result="contacted"]').click();
    await action.locator('.state', { hasText: '已联系' }).waitFor();
    await action.locator('button[data-result="converted"]').click();
    await action.locator('input[type="number"]').fill('50000');
    await action.getByRole('button', { name: '确认' }).click();
    await action.locator('.state', { hasText: '成交 50000' }).waitFor();
    const seen = (await page
      .locator('body')
      .evaluate((body) => (body as unknown as { seen: unknown[] }).seen)) as {
      result: string;
      customer: string;
      listId: number;
    }[];
    expect(seen.map((s) => [s.result, s.customer, s.listId])).toEqual([
      ['contacted', mine.ext, listId],
      ['converted', mine.ext, listId],
    ]);
    await page.locator('#toast', { hasText: 'payroll-wealth' }).waitFor();
    const row = db.sqlite
      .prepare(
        'SELECT contacted, responded, converted, amount, recorded_by AS by FROM list_outcomes WHERE list_id = ? AND customer_id = ?',
      )
      .get(listId, mine.id);
    expect(row).toEqual({
      contacted: 1,
      responded: 1,
      converted: 1,
      amount: 50_000,
      by: `rm:${rm.code} via embed:${key.kid}`,
    });
    const after = await api().kpi.strategy.query({ key: 'payroll-wealth' });
    expect(after.conversions).toBe(before.conversions + 1);
    expect(after.amount).toBe(before.amount + 50_000);
    const review = await api().outcomes.review.query({ key: 'payroll-wealth' });
    expect(review[0]?.treatment.converted).toBe((reviewBefore[0]?.treatment.converted ?? 0) + 1);
    expect(review[0]?.treatment.contacted).toBe((reviewBefore[0]?.treatment.contacted ?? 0) + 1);
    const audit = db.sqlite
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'outcome.record' AND actor = ?")
      .pluck()
      .get(`rm:${rm.code} via embed:${key.kid}`);
    expect(audit).toBe(2);
    await page.screenshot({
      path: screenshotPath(repoRoot, 'widgets-outcome-recorded-zh'),
      fullPage: true,
    });
    await page.close();
  });
});
