import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  aumTierIndex,
  enterpriseSize,
  evaluateLifecycle,
  lifecycleFunnel,
  smeIndustryOf,
} from '@strata/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoBank } from './bank.js';
import { consentsOf } from './consents.js';
import { writeBankCsv } from './csv.js';
import { lifecycleFrameOf } from './frame.js';
import { isValidResidentId, isValidSocialCreditCode } from './ids.js';
import type { CustomerRecord } from './types.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-demo-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function digestOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

describe('createDemoBank', () => {
  it('makes the same bank, byte for byte, from the same seed', () => {
    const a = tempDir();
    const b = tempDir();
    writeBankCsv(createDemoBank({ seed: 7, retail: 400, corporate: 40 }), a);
    writeBankCsv(createDemoBank({ seed: 7, retail: 400, corporate: 40 }), b);
    expect(digestOf(a)).toEqual(digestOf(b));
    expect(Object.keys(digestOf(a))).toEqual([
      'consents.csv',
      'customers.csv',
      'events.csv',
      'monthly_metrics.csv',
      'org_units.csv',
      'relationship_managers.csv',
    ]);
  });

  it('makes a different bank from another seed', () => {
    const a = tempDir();
    const b = tempDir();
    writeBankCsv(createDemoBank({ seed: 7, retail: 200, corporate: 20 }), a);
    writeBankCsv(createDemoBank({ seed: 8, retail: 200, corporate: 20 }), b);
    expect(digestOf(a)['customers.csv']).not.toEqual(digestOf(b)['customers.csv']);
  });

  it('keeps the first customers the same when the bank is made bigger', () => {
    const small = [...createDemoBank({ seed: 3, retail: 50, corporate: 10 }).customers()];
    const big = [...createDemoBank({ seed: 3, retail: 80, corporate: 10 }).customers()];
    expect(big.slice(0, 60).map((r) => r.customer)).toEqual(small.map((r) => r.customer));
  });

  it('gives consents per channel in plausible shares, deterministic in the seed', () => {
    const records = [...createDemoBank({ seed: 5, retail: 2_000, corporate: 200 }).customers()];
    const all = records.flatMap((r) => consentsOf(r, 5));
    expect(records.flatMap((r) => consentsOf(r, 5))).toEqual(all);
    const share = (channel: string, consent: string) =>
      all.filter((k) => k.channel === channel && k.consent === consent).length / records.length;
    expect(share('branch_rm', 'granted')).toBeGreaterThan(0.85);
    expect(share('call_out', 'granted')).toBeGreaterThan(0.5);
    expect(share('call_out', 'granted')).toBeLessThan(0.7);
    expect(share('call_out', 'withdrawn')).toBeGreaterThan(0.1);
    const optedOut = all.filter((k) => k.optedOut).length / all.length;
    expect(optedOut).toBeGreaterThan(0.01);
    expect(optedOut).toBeLessThan(0.05);
    expect(all.every((k) => !k.optedOut || k.consent === 'granted')).toBe(true);
    expect(consentsOf(records[0] as (typeof records)[number], 6)).not.toEqual(
      consentsOf(records[0] as (typeof records)[number], 5),
    );
  });

  it('refuses a size that is not a whole number', () => {
    expect(() => createDemoBank({ retail: 1.5 })).toThrow(/retail must be an integer/);
    expect(() => createDemoBank({ lastPeriod: '2026-13' })).toThrow(/lastPeriod/);
  });

  it('builds an org tree of head office, branches, sub-branches and their RMs', () => {
    const bank = createDemoBank({ retail: 10_000, corporate: 1_000 });
    const kinds = bank.orgUnits.map((u) => u.kind);
    expect(kinds.filter((k) => k === 'head_office')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'branch').length).toBeGreaterThanOrEqual(10);
    const units = new Map(bank.orgUnits.map((u) => [u.id, u]));
    for (const u of bank.orgUnits.filter((x) => x.kind === 'sub_branch'))
      expect(units.get(u.parentId ?? -1)?.kind).toBe('branch');
    for (const m of bank.managers) expect(units.get(m.orgUnitId)?.kind).toBe('sub_branch');
    expect(bank.managers.some((m) => m.line === 'corporate')).toBe(true);
  });
});

describe('the default-shaped demo bank (20,000 retail + 2,000 corporate)', () => {
  let records: CustomerRecord[];
  const bank = createDemoBank({ retail: 20_000, corporate: 2_000 });
  const last = bank.periods[bank.periods.length - 1];
  beforeAll(() => {
    records = [...bank.customers()];
  });

  it('has 13 monthly snapshots ending in 2026-10', () => {
    expect(bank.periods).toHaveLength(13);
    expect(bank.periods[0]).toBe('2025-10');
    expect(last).toBe('2026-10');
  });

  it('has retail tier shares in the bands of DOMAIN.md and a heavy tail', () => {
    const aums = records
      .filter((r) => r.customer.kind === 'retail')
      .map((r) => r.metrics.find((m) => m.period === last)?.aumAvg ?? 0);
    const shares = [0, 0, 0, 0, 0];
    for (const a of aums)
      shares[aumTierIndex(a)] = (shares[aumTierIndex(a)] ?? 0) + 1 / aums.length;
    const [mass, gold, wealth, diamond, priv] = shares as [number, number, number, number, number];
    expect(mass).toBeGreaterThan(0.74);
    expect(mass).toBeLessThan(0.87);
    expect(gold).toBeGreaterThan(0.1);
    expect(gold).toBeLessThan(0.21);
    expect(wealth).toBeGreaterThan(0.015);
    expect(wealth).toBeLessThan(0.05);
    expect(diamond).toBeGreaterThan(0.002);
    expect(diamond).toBeLessThan(0.015);
    expect(priv).toBeGreaterThan(0.0008);
    expect(priv).toBeLessThan(0.008);
    // Concentration: the top 5% of customers hold most of the AUM (CMB: 2.2% hold about 81%).
    aums.sort((a, b) => b - a);
    const total = aums.reduce((a, b) => a + b, 0);
    const top = aums.slice(0, aums.length / 20).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.7);
  });

  it('has every lifecycle stage in the stated bands in the last month', () => {
    const { stages } = evaluateLifecycle(lifecycleFrameOf(bank));
    const lastStages = stages[stages.length - 1] ?? new Uint8Array();
    const share = Object.fromEntries(lifecycleFunnel(lastStages).map((r) => [r.stage, r.share]));
    const bands: Record<string, [number, number]> = {
      prospect: [0.02, 0.08],
      onboarding: [0.015, 0.05],
      honeymoon: [0.015, 0.05],
      growth: [0.15, 0.35],
      mature: [0.25, 0.45],
      declining: [0.015, 0.08],
      dormant: [0.06, 0.18],
      churned: [0.06, 0.18],
      winback: [0.001, 0.02],
    };
    for (const [stage, [lo, hi]] of Object.entries(bands)) {
      expect(share[stage], stage).toBeGreaterThan(lo);
      expect(share[stage], stage).toBeLessThan(hi);
    }
  });

  it('brings new customers every month', () => {
    const opened = new Set(
      records.flatMap((r) =>
        r.events.filter((e) => e.type === 'account_opened').map((e) => e.occurredOn.slice(0, 7)),
      ),
    );
    for (const p of bank.periods) expect(opened.has(p), p).toBe(true);
  });

  it('gives retail customers valid ID numbers that carry their birth date, and mobile numbers', () => {
    for (const { customer: c } of records
      .filter((r) => r.customer.kind === 'retail')
      .slice(0, 2_000)) {
      expect(isValidResidentId(c.idNumber), c.idNumber).toBe(true);
      expect(c.idNumber.slice(6, 14)).toBe(c.birthDate?.replaceAll('-', ''));
      expect(Number(c.idNumber[16]) % 2).toBe(c.gender === 'M' ? 1 : 0);
      expect(c.phone).toMatch(/^1[3-9]\d{9}$/);
    }
  });

  it('sizes corporates by the 2011 SME rules, mostly small and micro, with valid credit codes', () => {
    const corporates = records
      .filter((r) => r.customer.kind === 'corporate')
      .map((r) => r.customer);
    const sizes: Record<string, number> = {};
    for (const c of corporates) {
      expect(isValidSocialCreditCode(c.idNumber), c.idNumber).toBe(true);
      expect(c.industryCode).toMatch(/^[A-T]\d{4}$/);
      const size = enterpriseSize(smeIndustryOf(c.industryCode ?? ''), {
        employees: c.employees ?? 0,
        revenue: c.revenue ?? 0,
        assets: c.totalAssets ?? 0,
      });
      expect(c.enterpriseSize).toBe(size);
      sizes[size] = (sizes[size] ?? 0) + 1;
    }
    expect(((sizes.micro ?? 0) + (sizes.small ?? 0)) / corporates.length).toBeGreaterThan(0.8);
    expect((sizes.large ?? 0) / corporates.length).toBeGreaterThan(0.01);
    expect(corporates.some((c) => c.basicAccount)).toBe(true);
    expect(corporates.filter((c) => c.chainRole === 'anchor').length).toBeGreaterThanOrEqual(8);
    const anchors = new Set(corporates.filter((c) => c.chainRole === 'anchor').map((c) => c.id));
    for (const c of corporates.filter(
      (x) => x.chainRole === 'upstream' || x.chainRole === 'downstream',
    )) {
      expect(anchors.has(c.chainAnchorId ?? -1)).toBe(true);
    }
  });

  it('pays payroll customers from corporate payroll employers', () => {
    const employers = new Map(
      records
        .filter((r) => r.customer.kind === 'corporate')
        .map((r) => [r.customer.id, r.customer]),
    );
    const paid = records.filter((r) => r.customer.payrollEmployerId !== null);
    expect(paid.length / 20_000).toBeGreaterThan(0.15);
    for (const r of paid) {
      const employer = employers.get(r.customer.payrollEmployerId ?? -1);
      expect(employer?.payrollEmployer || employer?.institutionType === 'social_security').toBe(
        true,
      );
    }
    expect(paid.some((r) => r.events.some((e) => e.type === 'salary_credited'))).toBe(true);
  });
});

describe('writeBankCsv', () => {
  it('writes one customers.csv row per customer and one metrics row per customer-month', () => {
    const dir = tempDir();
    const bank = createDemoBank({ retail: 300, corporate: 30 });
    const summary = writeBankCsv(bank, dir);
    const records = [...bank.customers()];
    expect(summary.files['customers.csv']).toBe(330);
    expect(summary.files['monthly_metrics.csv']).toBe(
      records.reduce((a, r) => a + r.metrics.length, 0),
    );
    const lines = readFileSync(join(dir, 'customers.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(331);
    expect(lines[0]?.startsWith('customer_id,kind,name,id_number,phone,org_unit_code')).toBe(true);
  });
});
