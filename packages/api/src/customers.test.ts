import { createSession, createUser, type StrataDb } from '@strata/db';
import { seedDemoBank } from '@strata/db/seed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { createCaller } from './root.js';
import { openTestDatabase } from '@strata/db/testing';

let db: StrataDb;
const clock = () => new Date('2026-11-03T09:00:00Z');
const as: Record<string, ReturnType<typeof createCaller>> = {};
let branch = 0;
let rm = 0;

beforeAll(() => {
  db = openTestDatabase();
  seedDemoBank(db, { seed: 4, retail: 400, corporate: 40 }, undefined, clock);
  branch = db.sqlite
    .prepare("SELECT id FROM org_units WHERE kind = 'branch' ORDER BY id LIMIT 1")
    .pluck()
    .get() as number;
  rm = db.sqlite
    .prepare('SELECT rm_id FROM customers WHERE rm_id IS NOT NULL LIMIT 1')
    .pluck()
    .get() as number;
  const people = [
    { username: 'admin', role: 'admin', canUnmask: true },
    { username: 'bm', role: 'branch_manager', orgUnitId: branch },
    { username: 'rm', role: 'relationship_manager', rmId: rm },
    { username: 'viewer', role: 'viewer' },
  ] as const;
  for (const p of people) {
    const user = createUser(
      db,
      { displayName: p.username, password: 'a-long-test-password', ...p },
      clock(),
    );
    const session = createSession(db, user.id, clock());
    as[p.username] = createCaller(
      createContext(db, clock, { sessionToken: session.token, csrfHeader: session.csrf }),
    );
  }
  as.nobody = createCaller(createContext(db, clock));
});
afterAll(() => db.close());

function who(name: string): ReturnType<typeof createCaller> {
  const caller = as[name];
  if (!caller) throw new Error(`no caller ${name}`);
  return caller;
}

const inBranch = (inside: boolean) =>
  db.sqlite
    .prepare(
      `SELECT c.id FROM customers c JOIN org_units u ON u.id = c.org_unit_id WHERE c.kind = 'retail' AND u.parent_id ${inside ? '=' : '<>'} ? ORDER BY c.id LIMIT 1`,
    )
    .pluck()
    .get(branch) as number;

describe('customers.get', () => {
  it('shows a customer of the branch, masked, to its branch manager', async () => {
    const id = inBranch(true);
    const raw = db.sqlite
      .prepare('SELECT name, id_number, phone FROM customers WHERE id = ?')
      .get(id) as Record<string, string>;
    const card = await who('bm').customers.get({ customer: id });
    expect(card.name).toBe(
      `${[...(raw.name as string)][0]}${'*'.repeat([...(raw.name as string)].length - 1)}`,
    );
    expect(card.idNumber).toBe(`${raw.id_number?.slice(0, 6)}********${raw.id_number?.slice(14)}`);
    expect(card.phone).toBe(`${raw.phone?.slice(0, 3)}****${raw.phone?.slice(7)}`);
  });

  it('answers "not found" for another branch’s customer, exactly as for one that does not exist', async () => {
    const other = inBranch(false);
    const a = await who('bm')
      .customers.get({ customer: other })
      .catch((e: { code: string }) => e.code);
    const b = await who('bm')
      .customers.get({ customer: 9_999_999 })
      .catch((e: { code: string }) => e.code);
    expect(a).toBe('NOT_FOUND');
    expect(b).toBe('NOT_FOUND');
  });

  it('shows a relationship manager only their own customers', async () => {
    const own = db.sqlite
      .prepare('SELECT id FROM customers WHERE rm_id = ? LIMIT 1')
      .pluck()
      .get(rm) as number;
    const other = db.sqlite
      .prepare('SELECT id FROM customers WHERE rm_id <> ? LIMIT 1')
      .pluck()
      .get(rm) as number;
    expect((await who('rm').customers.get({ customer: own })).id).toBe(own);
    await expect(who('rm').customers.get({ customer: other })).rejects.toThrow(/No customer/);
  });

  it('never returns an unmasked ID number or phone, for any customer, to any role', async () => {
    const rows = db.sqlite.prepare('SELECT id, id_number, phone FROM customers').all() as {
      id: number;
      id_number: string;
      phone: string | null;
    }[];
    let scanned = 0;
    for (const role of ['admin', 'bm', 'rm', 'viewer']) {
      for (const r of rows.filter((_, k) => k % 7 === 0)) {
        const body = JSON.stringify(
          await who(role)
            .customers.get({ customer: r.id })
            .catch(() => null),
        );
        if (r.phone) expect(body).not.toContain(r.phone);
        if (/^\d{17}[\dX]$/.test(r.id_number)) expect(body).not.toContain(r.id_number);
        scanned++;
      }
    }
    expect(scanned).toBeGreaterThan(200);
  });

  it('needs a signed-in caller', async () => {
    await expect(who('nobody').customers.get({ customer: 1 })).rejects.toThrow(/Sign in first/);
  });
});

describe('customers.reveal', () => {
  it('unmasks one field for a permitted role with a reason, and audits who, what and why', async () => {
    const id = inBranch(true);
    const phone = db.sqlite.prepare('SELECT phone FROM customers WHERE id = ?').pluck().get(id);
    const out = await who('admin').customers.reveal({
      customer: id,
      field: 'phone',
      reason: '客户来电核实身份',
    });
    expect(out.value).toBe(phone);
    const audit = db.sqlite
      .prepare(
        "SELECT actor, target, detail FROM audit_log WHERE action = 'unmask' ORDER BY id DESC LIMIT 1",
      )
      .get() as { actor: string; target: string; detail: string };
    expect(audit.actor).toBe('admin');
    expect(audit.target).toBe(`customer:${id}`);
    expect(JSON.parse(audit.detail)).toEqual({ field: 'phone', reason: '客户来电核实身份' });
  });

  it('refuses a role without the permission, and a missing reason, and audits nothing then', async () => {
    const before = db.sqlite
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'unmask'")
      .pluck()
      .get();
    await expect(
      who('bm').customers.reveal({
        customer: inBranch(true),
        field: 'idNumber',
        reason: '营销回访',
      }),
    ).rejects.toThrow(/may not see unmasked/);
    await expect(
      who('admin').customers.reveal({ customer: 1, field: 'name', reason: '' }),
    ).rejects.toThrow(/reason/);
    expect(
      db.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'unmask'").pluck().get(),
    ).toBe(before);
  });
});
