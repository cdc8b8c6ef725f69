import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, query } from './client.js';

// A stand-in for Strata's HTTP API speaking tRPC's GET protocol: it echoes the input back,
// or answers a tRPC error envelope for the path 'forbidden'.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/trpc/forbidden') {
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'not yours', data: { httpStatus: 403 } } }));
    } else if (url.pathname === '/trpc/html') {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          result: {
            data: {
              path: url.pathname,
              input: JSON.parse(url.searchParams.get('input') ?? 'null'),
            },
          },
        }),
      );
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));

describe('query', () => {
  it('sends the input as JSON in the query string and returns the data', async () => {
    expect(await query(`${base}/`, 'lifecycle.funnel', { branch: '330100' })).toEqual({
      path: '/trpc/lifecycle.funnel',
      input: { branch: '330100' },
    });
  });

  it('throws ApiError with the server’s message and status', async () => {
    await expect(query(base, 'forbidden', {})).rejects.toEqual(new ApiError('not yours', 403));
    await expect(query(base, 'forbidden', {})).rejects.toMatchObject({ status: 403 });
  });

  it('throws ApiError with the HTTP status when the answer is not JSON', async () => {
    await expect(query(base, 'html', {})).rejects.toMatchObject({
      status: 502,
      message: 'HTTP 502',
    });
  });
});
