import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Serves a file from `dir` (no directory listing, no path escapes). Returns false if there is
 * no such file, so the caller can answer 404.
 */
export function serveFile(
  dir: string,
  relative: string,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const clean = normalize(relative).replace(/^(\.\.[/\\])+/, '');
  if (clean.includes('..') || clean.startsWith('/')) return false;
  const path = join(dir, clean);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'public, max-age=300',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(path).pipe(res);
  return true;
}
