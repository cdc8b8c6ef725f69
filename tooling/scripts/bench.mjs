// `pnpm bench` / `npm run bench`: install what the benchmarks need (dependencies, Debian's
// python3-sklearn for the scikit-learn peer), build, and run bench/src/run.mjs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensurePnpm, env, install, pnpm, root, step, succeeds, tryApt } from './bootstrap.mjs';

const pnpmCommand = ensurePnpm();
install(pnpmCommand);
const python = '/usr/bin/python3';
const hasSklearn = () => succeeds(python, ['-c', 'import sklearn, threadpoolctl']);
if (!hasSklearn()) {
  step('Installing Debian package python3-sklearn (the scikit-learn peer)');
  if (!tryApt(['python3-sklearn']) || !hasSklearn())
    console.log(
      '  python3-sklearn could not be installed: the scikit-learn comparison will be skipped.',
    );
}
step('Building (turbo run build)');
pnpm(pnpmCommand, [
  'exec',
  'turbo',
  'run',
  'build',
  '--filter=@strata/bench...',
  '--output-logs=errors-only',
]);
step('Running the benchmarks (the first run builds the bank in bench/.cache)');
const result = spawnSync(process.execPath, [join(root, 'bench/src/run.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
