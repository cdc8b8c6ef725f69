// Shared steps of `npm start` and `npm test`. Plain Node with no dependencies: it runs on a
// fresh machine that has only Node 20 and Debian's apt.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, '');

export const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', TZ: 'UTC' };

export function step(message) {
  console.log(`\n▸ ${message}`);
}

/** Runs a command, streaming its output; exits with its code if it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) process.exit(result.status ?? 1);
  return result.status ?? 1;
}

function quiet(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env });
  return result.status === 0 ? result.stdout.trim() : null;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** pnpm of the version in package.json: the one on PATH, else installed with npm, else through npx. */
export function ensurePnpm() {
  if (quiet('pnpm', ['--version']) === pnpmVersion) return ['pnpm'];
  step(`Installing pnpm ${pnpmVersion}`);
  if (
    spawnSync('npm', ['install', '--global', `pnpm@${pnpmVersion}`], { stdio: 'inherit', env })
      .status === 0 &&
    quiet('pnpm', ['--version']) === pnpmVersion
  ) {
    return ['pnpm'];
  }
  console.log(`  (no global install; using npx pnpm@${pnpmVersion})`);
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

/** Runs pnpm with arguments. */
export function pnpm(pnpmCommand, args, options) {
  const [command, ...prefix] = pnpmCommand;
  return run(command, [...prefix, ...args], options);
}

/** Installs the workspace's dependencies exactly as locked. */
export function install(pnpmCommand) {
  step('Installing dependencies (pnpm install --frozen-lockfile)');
  pnpm(pnpmCommand, ['install', '--frozen-lockfile', '--reporter=append-only']);
}

/** Installs Debian packages with apt-get; false (with the reason printed) if it cannot. */
export function tryApt(packages) {
  const sudo = isRoot ? [] : ['sudo', '-n'];
  const go = (args) =>
    spawnSync(
      sudo[0] ?? 'apt-get',
      [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args],
      { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } },
    ).status === 0;
  return (
    go(['install', '-y', '--no-install-recommends', ...packages]) ||
    (go(['update']) && go(['install', '-y', '--no-install-recommends', ...packages]))
  );
}

/** True when `command args` runs and exits 0. */
export function succeeds(command, args) {
  return quiet(command, args) !== null;
}

function apt(packages) {
  if (tryApt(packages)) return;
  console.error(
    `Could not install ${packages.join(' ')} with apt-get. Install them (Debian packages) and run again.`,
  );
  process.exit(1);
}

/** Debian's Chromium for the browser tests (never a downloaded browser) and a CJK font to draw Chinese. */
export function ensureBrowser() {
  const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const missing = [];
  if (!existsSync(chromium)) missing.push('chromium');
  const cjk = quiet('fc-list', [':lang=zh', 'family']);
  if (!cjk) missing.push('fonts-wqy-microhei');
  if (missing.length === 0) return;
  step(`Installing Debian packages: ${missing.join(' ')}`);
  apt(missing);
}

/**
 * Debian's PostgreSQL and ClickHouse servers, for the warehouse pushdown tests (each test
 * starts its own throwaway servers on loopback; the packages' own services are not used).
 */
export function ensureWarehouses() {
  const missing = [];
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  if (!versions.some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)))
    missing.push('postgresql');
  if (!existsSync('/usr/sbin/clickhouse-server') && !existsSync('/usr/bin/clickhouse-server'))
    missing.push('clickhouse-server');
  if (missing.length === 0) return;
  step(`Installing Debian packages: ${missing.join(' ')} (warehouse pushdown tests)`);
  apt(missing);
}
