import { closeSync, existsSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's PostgreSQL server binaries (package postgresql), newest version first. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions)
    if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return null;
}

/** A PostgreSQL client program (pg_dump, pg_restore): Debian's server package's, else on PATH. */
export function postgresTool(name: 'pg_dump' | 'pg_restore'): string {
  const bin = postgresBin();
  return bin && existsSync(join(bin, name)) ? join(bin, name) : name;
}

/** A file's first 16 bytes as Latin-1 text (to tell a SQLite file from a pg_dump archive). */
export function fileHead(path: string): string {
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    return head.toString('latin1', 0, readSync(fd, head, 0, 16, 0));
  } finally {
    closeSync(fd);
  }
}
