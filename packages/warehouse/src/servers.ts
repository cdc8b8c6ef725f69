import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type LocalServer } from '@strata/db/testing';

export { freePort, postgresBin, startPostgres, type LocalServer } from '@strata/db/testing';

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
