import { mkdtempSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * Debian's Chromium, never a downloaded browser. Override with CHROMIUM_PATH.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium with a fresh profile. Call `close()` when done.
 * @param {{ locale?: string, viewport?: { width: number, height: number } }} [options]
 */
export async function launchBrowser(options = {}) {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Run the README's test command (it installs Debian's chromium) or set CHROMIUM_PATH.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args,
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'UTC',
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where screenshots go: `artifacts/screenshots/` at the repository root.
 * @param {string} repoRoot
 * @param {string} name
 */
export function screenshotPath(repoRoot, name) {
  const dir = resolve(repoRoot, 'artifacts', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
