import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { oneRequestPerTurn } from '../src/turns.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((done) => (s.close(done), s.closeAllConnections()))),
  );
});

/** A real HTTP server whose handler records which turn of the event loop each request ran in. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, turn: number) => void) {
  let turn = 0;
  const tick = () => {
    turn++;
    ticker = setImmediate(tick);
  };
  let ticker = setImmediate(tick);
  const errors: unknown[] = [];
  const server = createServer(
    oneRequestPerTurn(
      (req, res) => handler(req, res, turn),
      (e) => errors.push(e),
    ),
  );
  servers.push(server);
  server.on('close', () => clearImmediate(ticker));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, errors };
}

describe('one request per turn of the event loop', () => {
  it('answers requests that arrive together, each in a turn of its own', async () => {
    const seen: { path: string; turn: number }[] = [];
    const { url } = await serve((req, res, turn) => {
      seen.push({ path: req.url ?? '', turn });
      // a slow request: without turns, every waiting request would run in the same turn
      const until = performance.now() + 5;
      while (performance.now() < until);
      res.end(req.url);
    });
    const paths = Array.from({ length: 12 }, (_, k) => `/r${k}`);
    const bodies = await Promise.all(paths.map((p) => fetch(url + p).then((r) => r.text())));
    expect(bodies).toEqual(paths);
    expect(seen).toHaveLength(12);
    const turns = seen.map((s) => s.turn);
    expect(new Set(turns).size).toBe(turns.length);
  });

  it('answers 500 for a request whose handler throws, logs it, and goes on with the next', async () => {
    const { url, errors } = await serve((req, res) => {
      if (req.url === '/bad') throw new Error('broken handler');
      res.end('ok');
    });
    const [bad, good] = await Promise.all([fetch(`${url}/bad`), fetch(`${url}/good`)]);
    expect(bad.status).toBe(500);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('ok');
    expect(errors.map((e) => (e as Error).message)).toEqual(['broken handler']);
  });

  it('ends the connection of a request whose handler throws after it began its answer', async () => {
    const { url, errors } = await serve((req, res) => {
      if (req.url === '/half') {
        res.writeHead(200, { 'content-length': '10' });
        res.write('half');
        throw new Error('broken midway');
      }
      res.end('ok');
    });
    await expect(fetch(`${url}/half`).then((r) => r.text())).rejects.toThrow();
    expect(await (await fetch(`${url}/next`)).text()).toBe('ok');
    expect(errors.map((e) => (e as Error).message)).toEqual(['broken midway']);
  });
});
