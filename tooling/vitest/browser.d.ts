import type { BrowserContext } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser. Override with CHROMIUM_PATH. */
export const chromiumPath: string;
/** Starts Chromium with a fresh profile. */
export function launchBrowser(options?: {
  locale?: string;
  viewport?: { width: number; height: number };
}): Promise<{ context: BrowserContext; close(): Promise<void> }>;
/** `artifacts/screenshots/NAME.png` at the repository root. */
export function screenshotPath(repoRoot: string, name: string): string;
