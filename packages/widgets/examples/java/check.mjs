#!/usr/bin/env node
// Proves that tokens from the JDK-only signer (EmbedToken.java) are accepted by Strata's real
// verifier: an in-memory Strata with a tiny demo bank and an HS256 embed key, tokens signed by
// `java EmbedToken.java …`, checked with verifyEmbedToken from @strata/api.
//
//   node packages/widgets/examples/java/check.mjs
//
// Needs Java 11+ on PATH and the built packages (packages/db/dist, packages/api/dist).
// Exit code: 0 all checks passed, 1 a check failed, 2 no `java` on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EmbedTokenError, verifyEmbedToken } from '@strata/api';
// @strata/db is not a dependency of @strata/widgets, so it is imported from its build.
import { createEmbedKey, openDatabase } from '../../../db/dist/index.js';
import { seedDemoBank } from '../../../db/dist/seed/index.js';

const ORIGIN = 'https://portal.example';
const source = fileURLToPath(new URL('EmbedToken.java', import.meta.url));

if (spawnSync('java', ['-version']).error) {
  console.error('java is not on PATH: install a JDK (11 or later) to run this check.');
  process.exit(2);
}

/** Runs the Java signer: `java EmbedToken.java kid secret sub seconds [scopeJson]`. */
function javaSign(kid, secret, sub, seconds, scope) {
  const args = [source, kid, secret, sub, String(seconds), ...(scope ? [scope] : [])];
  return execFileSync('java', args, { encoding: 'utf8' }).trim();
}

/** The token's payload, decoded without verifying. */
function payloadOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

let failed = 0;
async function check(name, fn) {
  try {
    const detail = await fn();
    console.log(`PASS ${name}${detail ? ` (${detail})` : ''}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
/** Expects verification to be refused with an EmbedTokenError; returns it. */
async function refused(token) {
  try {
    await verifyEmbedToken(db, token, ORIGIN, new Date());
  } catch (error) {
    if (error instanceof EmbedTokenError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}

const db = openDatabase(':memory:');
seedDemoBank(db, { seed: 3, retail: 200, corporate: 10 });
const { key, secret } = createEmbedKey(
  db,
  { name: 'java', alg: 'HS256', origins: [ORIGIN] },
  { actor: 'check', origin: null },
);
// An RM with at least one customer of their own.
const rm = db.sqlite
  .prepare(
    `SELECT m.id, m.code, c.id AS customerId, c.external_id AS externalId
       FROM customers c JOIN relationship_managers m ON m.id = c.rm_id
      ORDER BY c.id LIMIT 1`,
  )
  .get();
console.log(`embed key ${key.kid}; RM ${rm.code}; customer ${rm.externalId}`);

try {
  await check('rm token signed in Java is accepted', async () => {
    const token = javaSign(key.kid, secret, `rm:${rm.code}`, 600);
    const id = await verifyEmbedToken(db, token, ORIGIN, new Date());
    expect(id.subject === `rm:${rm.code}`, `subject is ${id.subject}`);
    expect(id.kind === 'person', `kind is ${id.kind}`);
    expect(id.kid === key.kid && id.keyName === 'java', `key is ${id.kid} (${id.keyName})`);
    expect(id.scope.rmId === rm.id, `scope.rmId is ${id.scope.rmId}`);
    const lifetime = Math.round((id.expiresAt.getTime() - Date.now()) / 1000);
    expect(lifetime > 540 && lifetime <= 600, `expires in ${lifetime} s`);
    return `subject ${id.subject}, kind ${id.kind}, expires in ${lifetime} s`;
  });

  await check('token with a customers scope is accepted and narrowed', async () => {
    const scope = JSON.stringify({ customers: [rm.externalId] });
    const token = javaSign(key.kid, secret, `rm:${rm.code}`, 600, scope);
    const id = await verifyEmbedToken(db, token, ORIGIN, new Date());
    expect(id.subject === `rm:${rm.code}`, `subject is ${id.subject}`);
    expect(id.kind === 'customers', `kind is ${id.kind}`);
    const ids = id.scope.within?.customerIds ?? [];
    expect(ids.length === 1 && ids[0] === rm.customerId, `customerIds are ${ids.join(',')}`);
    return `kind ${id.kind}, customerIds [${ids.join(',')}]`;
  });

  await check('token signed with a wrong secret is refused', async () => {
    const token = javaSign(key.kid, `${secret}x`, `rm:${rm.code}`, 600);
    const error = await refused(token);
    expect(error.code === 'UNAUTHORIZED', `code is ${error.code}`);
    expect(/signature/.test(error.message), error.message);
    return `${error.code}: ${error.message}`;
  });

  await check('strings are JSON-escaped (quote, backslash, newline, tab, control)', async () => {
    const sub = 'rm:a"b\\c\nd\te\u0001f';
    const token = javaSign(key.kid, secret, sub, 600);
    expect(payloadOf(token).sub === sub, `sub decodes as ${JSON.stringify(payloadOf(token).sub)}`);
    // The signature verifies; only the (deliberately odd) sub is refused by the claims' rules.
    const error = await refused(token);
    expect(/claims are invalid/.test(error.message), error.message);
    return 'signature verifies, sub round-trips, refused only for its claims';
  });
} finally {
  db.close();
}

console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
