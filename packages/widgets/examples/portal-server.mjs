#!/usr/bin/env node
// An example portal back end — the part a bank's portal team writes. It signs a short-lived
// embed token for the signed-in relationship manager with an embed key made in Strata's
// settings, and renders its pages with the token in them. Strata's widgets on the page send the
// token to Strata, which applies exactly that RM's scope and masking.
//
//   STRATA_URL=http://localhost:3000 STRATA_EMBED_KID=sek_… STRATA_EMBED_SECRET=… \
//   PORTAL_RM=R0001 PORTAL_PORT=8080 node packages/widgets/examples/portal-server.mjs
//
// then open http://localhost:8080/ (the key's allowed origins must include that origin).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';

/**
 * Signs an embed token (HS256) — the whole of what a portal's back end needs.
 * `sub` names who acts: `rm:<RM code>` or `user:<Strata username>`; `scope` optionally narrows
 * it: `{ customers: [...] }`, `{ branch: '330100' }` or `{ resources: ['strategy:key'] }`.
 */
export async function signEmbedToken({ kid, secret, sub, scope, seconds = 600 }) {
  const token = new SignJWT(scope ? { scope } : {})
    .setProtectedHeader({ alg: 'HS256', kid })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`);
  return token.sign(new TextEncoder().encode(secret));
}

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** The host pages, each with the Content-Security-Policy it is served with (if any). */
const PAGES = {
  '/': { file: 'portal.html' },
  '/portal.html': { file: 'portal.html' },
  '/hostile.html': { file: 'hostile.html' },
  '/strict-csp.html': {
    file: 'strict-csp.html',
    csp: (strata) =>
      `default-src 'none'; script-src 'self' ${strata}; connect-src ${strata}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  },
};

/**
 * Starts the example portal. Each page view signs a fresh token (`token(page)` may give its own
 * claims, e.g. for tests); `{{STRATA}}`, `{{TOKEN}}` and `{{CUSTOMER}}`, `{{SEGMENT}}`,
 * `{{STRATEGY}}` in the pages are filled in.
 */
export async function startPortal({
  strata,
  kid,
  secret,
  rm,
  customer = '',
  segment = 'payroll_no_wealth',
  strategy = '',
  port = 0,
  host = '127.0.0.1',
  claims = () => ({}),
}) {
  const key = { kid, secret };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://portal').pathname;
    if (path === '/host.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return res.end(readFileSync(here('host.js')));
    }
    const page = PAGES[path];
    if (!page) return res.writeHead(404).end('not found');
    const extra = claims(path);
    const token = await signEmbedToken({
      kid: key.kid,
      secret: key.secret,
      sub: extra.sub ?? `rm:${rm}`,
      scope: extra.scope,
      seconds: extra.seconds ?? 600,
    });
    const html = readFileSync(here(page.file), 'utf8')
      .replaceAll('{{STRATA}}', strata)
      .replaceAll('{{TOKEN}}', token)
      .replaceAll('{{CUSTOMER}}', extra.customer ?? customer)
      .replaceAll('{{SEGMENT}}', segment)
      .replaceAll('{{STRATEGY}}', strategy);
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (page.csp) headers['content-security-policy'] = page.csp(strata);
    res.writeHead(200, headers).end(html);
  });
  await new Promise((done) => server.listen(port, host, done));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    server,
    /** Switches the key pages are signed with (after a rotation, or once the origin is known). */
    setKey(next) {
      Object.assign(key, next);
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const need = (name) => {
    const value = process.env[name];
    if (!value) {
      console.error(`Set ${name} (see the comment at the top of this file).`);
      process.exit(2);
    }
    return value;
  };
  const portal = await startPortal({
    strata: (process.env.STRATA_URL ?? 'http://localhost:3000').replace(/\/+$/, ''),
    kid: need('STRATA_EMBED_KID'),
    secret: need('STRATA_EMBED_SECRET'),
    rm: need('PORTAL_RM'),
    customer: process.env.PORTAL_CUSTOMER ?? '',
    strategy: process.env.PORTAL_STRATEGY ?? '',
    port: Number(process.env.PORTAL_PORT ?? 8080),
    host: process.env.PORTAL_HOST ?? 'localhost',
  });
  console.log(`Example portal: ${portal.url}/ (also /strict-csp.html and /hostile.html)`);
}
