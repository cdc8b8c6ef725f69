import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A server started for a test or a benchmark, on loopback, in a directory of its own. */
export interface LocalServer {
  /** How to reach it: a connection string (PostgreSQL) or the shards' HTTP addresses (ClickHouse). */
  readonly url: string;
  readonly shards: readonly string[];
  stop(): Promise<void>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Debian's PostgreSQL server binaries (package postgresql), newest version first. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions)
    if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return null;
}

/**
 * Starts a throwaway PostgreSQL on a loopback port (Debian's `postgresql` package): initdb in
 * a fresh directory, trust authentication for user `strata`, fsync off. As root it runs as
 * the `postgres` user (PostgreSQL refuses root).
 */
export async function startPostgres(): Promise<LocalServer> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'strata-pg-server-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(id.stdout), Number(gid.stdout));
  }
  const run = (command: string, args: string[]) => {
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], {
          encoding: 'utf8',
        })
      : spawnSync(join(bin, command), args, { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${command} failed: ${(result.stderr || result.stdout || '').trim()}`);
  };
  const port = await freePort();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'strata', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  const url = `postgres://strata@127.0.0.1:${port}/postgres`;
  return {
    url,
    shards: [url],
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Debian's ClickHouse server binary (package clickhouse-server). */
export function clickhouseBin(): string | null {
  for (const path of ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'])
    if (existsSync(path)) return path;
  return null;
}

/**
 * Starts a ClickHouse cluster of `shards` servers on loopback (Debian's `clickhouse-server`),
 * each with its own directory and ports, all knowing the cluster `strata` — the layout of a
 * bank's analytics cluster, on one machine.
 */
export async function startClickHouse(shards = 2): Promise<LocalServer & { cluster: string }> {
  const bin = clickhouseBin();
  if (!bin) throw new Error('ClickHouse is not installed (apt-get install clickhouse-server)');
  const dir = mkdtempSync(join(tmpdir(), 'strata-clickhouse-server-'));
  const ports = [];
  for (let k = 0; k < shards; k++)
    ports.push({ http: await freePort(), tcp: await freePort(), inter: await freePort() });
  const remote = ports
    .map((p) => `<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`)
    .join('');
  const processes: ChildProcess[] = [];
  ports.forEach((p, k) => {
    const home = join(dir, `shard${k + 1}`);
    for (const sub of ['data', 'tmp', 'user_files'])
      mkdirSync(join(home, sub), { recursive: true });
    writeFileSync(
      join(home, 'config.xml'),
      `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${home}/server.log</log><errorlog>${home}/error.log</errorlog><console>false</console></logger>
  <http_port>${p.http}</http_port>
  <tcp_port>${p.tcp}</tcp_port>
  <interserver_http_port>${p.inter}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${home}/data/</path>
  <tmp_path>${home}/tmp/</tmp_path>
  <user_files_path>${home}/user_files/</user_files_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <remote_servers><strata>${remote}</strata></remote_servers>
</yandex>
`,
    );
    writeFileSync(
      join(home, 'users.xml'),
      `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><max_threads>2</max_threads></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
    );
    processes.push(
      spawn(bin, [`--config-file=${join(home, 'config.xml')}`], { cwd: home, stdio: 'ignore' }),
    );
  });
  const urls = ports.map((p) => `http://127.0.0.1:${p.http}`);
  const stop = async () => {
    for (const child of processes) child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (const url of urls) {
    for (;;) {
      try {
        const response = await fetch(`${url}/?query=SELECT%201`);
        if (response.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`ClickHouse did not start on ${url} within 60 s (logs in ${dir})`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { url: urls[0] as string, shards: urls, cluster: 'strata', stop };
}
