import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  SESSION_COOKIE,
  appRouter,
  createContext,
  createRequestContext,
  type Context,
  type HttpInfo,
} from '@strata/api';
import { defaultScorers, type ScorerRegistry } from '@strata/core';
import { embedOrigins, type StrataDb } from '@strata/db';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createAnswerCache, type AnswerCacheOptions } from './answers.js';
import { handleListExport } from './exports.js';
import { handleImports } from './imports.js';
import { RateLimiter } from './limits.js';
import { createLogger, type Logger } from './log.js';
import { serveFile } from './static.js';
import { oneRequestPerTurn } from './turns.js';

/** Node middleware, as SvelteKit's adapter-node handler is. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/** What the HTTP server serves. */
export interface AppOptions {
  readonly db: StrataDb;
  /** The folder of the built widget bundle, served at /widgets/. */
  readonly widgetDir: string;
  /** The dashboard (SvelteKit adapter-node handler), served at every other path; omitted in API-only tests. */
  readonly dashboard?: Middleware;
  readonly embedOrigins: readonly string[] | '*';
  readonly maxBody: number;
  /** Largest import file accepted at /api/imports, in bytes. @default 2 GiB */
  readonly maxImportBytes?: number;
  /** The clock (tests fix it). @default the system clock */
  readonly now?: () => Date;
  /** Where requests and errors are logged (main.ts gives a pino logger on stdout). @default none */
  readonly logger?: Logger;
  /** Requests per client address per minute (0: no limit). @default 3000 */
  readonly rateLimit?: number;
  /**
   * The key the dashboard (in this process) sends with its server-side API calls, with the
   * browser's address in `x-strata-client`: those count against that address.
   */
  readonly internalKey?: string;
  /** The models strategies may name. @default the built-in ones */
  readonly scorers?: ScorerRegistry;
  /** Limits of the remembered answers (see answers.ts). */
  readonly answers?: AnswerCacheOptions;
}

/** The procedures whose answers may be remembered (`meta({ remember: true })`). */
function rememberedProcedures(): Set<string> {
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string; meta?: { remember?: boolean } } }
  >;
  return new Set(
    Object.entries(procedures)
      .filter(([, p]) => p._def.type === 'query' && p._def.meta?.remember === true)
      .map(([path]) => path),
  );
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

/**
 * Sets CORS headers for an allowed cross-origin caller (embedded widgets): the configured
 * origins, and those of every live embed key (a token is further checked against its own key's).
 */
function cors(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: readonly string[] | '*',
  db: StrataDb,
  now: Date,
): void {
  const origin = req.headers.origin;
  if (!origin) return;
  if (allowed === '*' || allowed.includes(origin) || embedOrigins(db, now).has(origin)) {
    res.setHeader('access-control-allow-origin', allowed === '*' ? '*' : origin);
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'content-type, authorization');
    res.setHeader('access-control-max-age', '600');
  }
}

/**
 * Strata's HTTP server: `/trpc/*` (the API), `/health`, `/widgets/*` (the embeddable bundle)
 * and the dashboard for everything else.
 */
export function createApp(options: AppOptions): Server {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? createLogger('silent');
  /** A request's context: its session cookie or bearer token, CSRF header, address and TLS. */
  /** The client's address: the socket's, or the browser's for the dashboard's own calls. */
  const clientOf = (req: IncomingMessage): string => {
    const key = req.headers['x-strata-internal'];
    const client = req.headers['x-strata-client'];
    if (
      options.internalKey &&
      typeof key === 'string' &&
      typeof client === 'string' &&
      key.length === options.internalKey.length &&
      timingSafeEqual(Buffer.from(key), Buffer.from(options.internalKey))
    )
      return client.slice(0, 64);
    return req.socket.remoteAddress ?? '';
  };
  const scorers = options.scorers ?? defaultScorers();
  const httpOf = (req: IncomingMessage, res: ServerResponse): HttpInfo => {
    const cookies = parseCookies(req.headers.cookie);
    const csrf = req.headers['x-strata-csrf'];
    const bearer =
      /^Bearer\s+(stk_[\w-]+|[\w-]+\.[\w-]+\.[\w-]+)$/.exec(req.headers.authorization ?? '')?.[1] ??
      null;
    return {
      sessionToken: cookies.get(SESSION_COOKIE) ?? null,
      bearer,
      csrfHeader: typeof csrf === 'string' ? csrf : null,
      ip: clientOf(req) || null,
      secure:
        (req.socket as { encrypted?: boolean }).encrypted === true ||
        req.headers['x-forwarded-proto'] === 'https',
      setCookie: (header) => res.appendHeader('set-cookie', header),
      origin: originOf(req),
    };
  };
  /** The context of exports and imports: sessions and service tokens (not embed tokens). */
  const contextOf = (req: IncomingMessage, res: ServerResponse) =>
    createContext(options.db, now, httpOf(req, res), scorers);
  /** Contexts already built for a request (by the remembered answers' check), for tRPC. */
  const contexts = new WeakMap<IncomingMessage, Promise<Context>>();
  const requestContext = (req: IncomingMessage, res: ServerResponse): Promise<Context> =>
    contexts.get(req) ?? createRequestContext(options.db, now, httpOf(req, res), scorers);
  const answers = createAnswerCache(options.db, rememberedProcedures(), options.answers);
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: options.maxBody,
    createContext: ({ req, res }) => requestContext(req, res),
    onError: ({ error, path }) => {
      // the client got a generic message; the log keeps what happened (no input, no personal data)
      if (error.code === 'INTERNAL_SERVER_ERROR')
        logger.error(
          { procedure: path, err: { message: error.message, stack: error.stack } },
          'procedure failed',
        );
    },
  });
  const limiter = new RateLimiter(options.rateLimit ?? 3000);
  const handle = oneRequestPerTurn(serve, (error) =>
    logger.error({ err: { message: (error as Error).message } }, 'request handler failed'),
  );
  const server = createServer((req, res) => {
    // timed from its arrival: the wait for its turn counts
    const started = performance.now();
    res.on('finish', () => {
      // method, path and status only: never the query string or the body
      logger.info(
        {
          method: req.method,
          path: (req.url ?? '/').split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          ip: clientOf(req),
        },
        'request',
      );
    });
    handle(req, res);
  });
  return server;

  function serve(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (
      (req.socket as { encrypted?: boolean }).encrypted ||
      req.headers['x-forwarded-proto'] === 'https'
    )
      res.setHeader('strict-transport-security', 'max-age=31536000');
    const url = new URL(req.url ?? '/', 'http://strata.local');
    const path = url.pathname;
    if (path === '/health') return json(res, 200, { status: 'ok' });
    // every request but liveness checks and static files counts, by client address
    if (!path.startsWith('/widgets/') && !path.startsWith('/_app/')) {
      const wait = limiter.take(clientOf(req), now().getTime());
      if (wait > 0) {
        res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
        return json(res, 429, { error: 'Too many requests from this address; slow down.' });
      }
    }
    if (path.startsWith('/trpc/')) {
      // JSON only: nothing in a response may run or be framed.
      res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      cors(req, res, options.embedOrigins, options.db, now());
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      if (!answers.applies(req, url)) return trpc(req, res);
      // a remembered procedure: the caller authenticated as always, then the kept answer or tRPC's
      const context = requestContext(req, res);
      contexts.set(req, context);
      void context
        .then((ctx) => {
          if (answers.serve(req, res, url, ctx)) return;
          answers.record(req, res, url, ctx);
          return trpc(req, res);
        })
        .catch((error: unknown) => {
          logger.error({ err: { message: (error as Error).message } }, 'request handler failed');
          if (!res.headersSent) json(res, 500, { error: 'Something went wrong on the server.' });
        });
      return;
    }
    if (path.startsWith('/api/lists/')) {
      res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      return handleListExport(req, res, url, { db: options.db, ctx: contextOf(req, res), now });
    }
    if (path === '/api/imports' || path.startsWith('/api/imports/')) {
      res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      handleImports(req, res, url, {
        db: options.db,
        ctx: contextOf(req, res),
        maxImportBytes: options.maxImportBytes ?? 2 * 1024 ** 3,
        now,
      }).catch((error: unknown) => {
        console.error('import failed to start:', (error as Error).message);
        if (!res.headersSent) json(res, 500, { error: 'The import could not be started.' });
      });
      return;
    }
    if (path.startsWith('/widgets/')) {
      // Module scripts are fetched in CORS mode. The bundle holds nothing secret, so any page
      // may load it (and show why its API calls fail); the API itself allows only key origins.
      res.setHeader('access-control-allow-origin', '*');
      if (serveFile(options.widgetDir, path.slice('/widgets/'.length), req, res)) return;
      return json(res, 404, { error: 'not found' });
    }
    if (options.dashboard)
      return options.dashboard(req, res, () => json(res, 404, { error: 'not found' }));
    return json(res, 404, { error: 'not found' });
  }
}

/** The page a browser request comes from: its Origin header, else its Referer's origin. */
function originOf(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin;
  const referer = req.headers.referer;
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/** The cookies of a request, by name. */
function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    try {
      out.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // A malformed value is ignored, like a missing cookie.
    }
  }
  return out;
}
