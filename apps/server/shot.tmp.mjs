import { launchBrowser } from '/work/main/tooling/vitest/browser.js';
const { context, close } = await launchBrowser();
const page = await context.newPage();
await page.goto(process.argv[2], { waitUntil: 'networkidle' });
await page.screenshot({ path: process.argv[3], fullPage: true });
console.log(await page.title());
await close();
