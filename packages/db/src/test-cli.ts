import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** For the end-to-end tests: the built command line (`pnpm build` first; turbo orders it). */
export const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs `strata …` on a database file as a user runs it, in UTC. */
export function runCli(db: string, ...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
}
