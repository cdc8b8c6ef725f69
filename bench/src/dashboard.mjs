// Dashboard pages on the default demo bank (issue: dashboard — "every page usable within a
// second of navigation on this machine"): for each screen, the time from navigation to a usable
// page in Debian's Chromium — a cold load (until hydrated, the data server-rendered in it) and a
// navigation from the menu (click to the new page drawn with its data) — against the 1 s goal.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser, openDatabase } from '@strata/db';
import { chromium } from 'playwright-core';
import { cacheDir } from './data.mjs';
import { startStrata } from './widgets.mjs';

const ADMIN = { username: 'bench.admin', password: 'a long bench password' };

export async function dashboardPages(report) {
  const file = join(cacheDir, 'widgets-demo-bank.db');
  if (!existsSync(file))
    console.log('  seeding the default demo bank (100,000 + 10,000) for the dashboard timing…');
  const strata = await startStrata(file);
  const db = openDatabase(file);
  const profile = mkdtempSync(join(tmpdir(), 'strata-bench-dashboard-'));
  let context;
  try {
    if (!db.sqlite.prepare('SELECT 1 FROM users WHERE username = ?').get(ADMIN.username))
      createUser(db, { ...ADMIN, displayName: 'Bench', role: 'admin', canUnmask: false });
    const customer = db.sqlite
      .prepare("SELECT id FROM customers WHERE kind = 'retail' ORDER BY id LIMIT 1 OFFSET 500")
      .pluck()
      .get();
    const strategy = db.sqlite.prepare('SELECT key FROM strategies LIMIT 1').pluck().get();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
    });
    const signIn = await context.request.post(`${strata.url}/trpc/auth.login`, { data: ADMIN });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
    await context.addInitScript(() => {
      // when the layout marks the page hydrated: usable, with its server-rendered data
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.hydrated) {
          window.__usable = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
    });
    const pages = [
      ['overview', '/overview'],
      ['lifecycle', '/lifecycle'],
      ['customers', '/customers'],
      ['customer-profile', `/customers/${customer}`],
      ['segments', '/segments'],
      ['map', '/map'],
      ['strategies', '/strategies'],
      ...(strategy ? [['strategy', `/strategies/${strategy}`]] : []),
      ['board', '/board'],
      ['data', '/data'],
      ['settings', '/settings'],
    ];
    const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const page = await context.newPage();
    for (const [name, path] of pages) {
      const cold = [];
      const menu = [];
      for (let run = 0; run < 4; run++) {
        await page.goto(`${strata.url}${path}`);
        await page.waitForFunction(() => window.__usable !== undefined, null, { timeout: 60_000 });
        const usable = await page.evaluate(() => window.__usable);
        // from another screen, by the menu (the way people move around)
        const from = path === '/overview' ? '/lifecycle' : '/overview';
        await page.goto(`${strata.url}${from}`);
        await page.waitForFunction(() => window.__usable !== undefined, null, { timeout: 60_000 });
        const link = page
          .locator(
            `nav a[href="${path.startsWith('/customers/') || path.startsWith('/strategies/') ? path.replace(/\/[^/]+$/, '') : path}"]`,
          )
          .first();
        const started = Date.now();
        if (path.startsWith('/customers/') || path.startsWith('/strategies/')) {
          // a detail page is reached from its list: follow a client-side link to it
          await page.evaluate((href) => {
            const a = document.createElement('a');
            a.href = href;
            document.querySelector('main')?.append(a);
            a.click();
          }, path);
        } else await link.click();
        await page.waitForURL(`**${path}`);
        await page.locator('[data-testid=loading]').waitFor({ state: 'detached' });
        await page.locator('main h1').first().waitFor();
        const clicked = Date.now() - started;
        if (run > 0) {
          cold.push(usable);
          menu.push(clicked);
        }
      }
      const worst = Math.max(median(cold), median(menu));
      report(
        `dashboard-${name}`,
        'ms',
        worst,
        'goal',
        1000,
        `${path}: cold load to hydrated ${median(cold).toFixed(0)} ms, menu navigation to drawn ${median(menu).toFixed(0)} ms; median of 3`,
      );
    }
  } finally {
    await context?.close();
    db.close();
    await strata.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}
