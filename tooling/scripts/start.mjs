// `npm start`: install, build, create and seed the demo database if absent, start Strata, print its URL.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensurePnpm, env, install, pnpm, root, step } from './bootstrap.mjs';

const started = Date.now();
const pnpmCommand = ensurePnpm();
install(pnpmCommand);
step('Building (turbo run build)');
pnpm(pnpmCommand, [
  'exec',
  'turbo',
  'run',
  'build',
  '--filter=@strata/server...',
  '--output-logs=errors-only',
]);
console.log(`  ready in ${Math.round((Date.now() - started) / 1000)} s`);

step('Starting Strata');
const server = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env,
});
const forward = (signal) => server.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
server.on('exit', (code) => process.exit(code ?? 0));
