import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoBank } from '@strata/demo-data';
import { writeBankCsv } from '@strata/demo-data/csv';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '@strata/core';
import { verifyAuditLog } from './audit.js';
import { contactableCustomers } from './consent.js';
import {
  getSavedMapping,
  importFile,
  parsePeriod,
  readCsv,
  type ImportRequest,
} from './import/index.js';
import { dataVersion } from './metric-blocks.js';
import { seedDemoBank } from './seed/index.js';
import type { StrataDb } from './types.js';
import { openTestDatabase } from './testing.js';

const now = new Date('2026-11-22T08:00:00Z');
const BANK = { seed: 11, retail: 240, corporate: 24 } as const;
let dir: string;
let db: StrataDb;
let customersCsv: string;
let eventsCsv: string;

/** Every row of the tables an import writes, as text: equal before and after means unchanged. */
function dataDump(d: StrataDb): string {
  const tables = [
    'customers',
    'monthly_metrics',
    'events',
    'campaign_outcomes',
    'relationship_managers',
    'meta',
  ];
  return tables
    .map((t) =>
      (d.sqlite.prepare(`SELECT * FROM ${t}`).raw().all() as unknown[][])
        .map((row) => JSON.stringify(row))
        .sort()
        .join('\n'),
    )
    .join('\n');
}
const customerRows = (d: StrataDb) =>
  JSON.stringify(
    d.sqlite
      .prepare('SELECT * FROM customers ORDER BY id')
      .all()
      .map((r) => ({ ...(r as object), import_batch: null })),
  );

const run = (request: Omit<ImportRequest, 'actor' | 'now'>, on: StrataDb = db) =>
  importFile(on, { actor: 'test', now, ...request });
const bytes = (text: string, name = 'file.csv') => ({
  bytes: new TextEncoder().encode(text),
  name,
});

/** A GBK encoder for tests, built from the platform's GBK decoder. */
function gbkEncoder(): (s: string) => Uint8Array {
  const map = new Map<string, number[]>();
  const dec = new TextDecoder('gbk');
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== '\uFFFD' && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  return (s) => {
    const out: number[] = [];
    for (const ch of s) {
      const code = ch.codePointAt(0) as number;
      if (code < 0x80) out.push(code);
      else out.push(...(map.get(ch) ?? [0x3f]));
    }
    return new Uint8Array(out);
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-import-'));
  writeBankCsv(createDemoBank(BANK), dir);
  customersCsv = readFileSync(join(dir, 'customers.csv'), 'utf8');
  eventsCsv = readFileSync(join(dir, 'events.csv'), 'utf8');
  db = openTestDatabase();
  seedDemoBank(db, BANK, undefined, () => now);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importing', () => {
  it("re-imports the demo bank's own customers file: every row updated, nothing else changed; then again, idempotent", () => {
    const before = customerRows(db);
    const version = dataVersion(db);
    const report = run({ kind: 'customers', input: { path: join(dir, 'customers.csv') } });
    expect(report.error).toBeNull();
    expect(report).toMatchObject({
      status: 'succeeded',
      rowsRead: 264,
      inserted: 0,
      updated: 264,
      rowsRejected: 0,
    });
    expect(customerRows(db)).toBe(before);
    expect(dataVersion(db)).toBe(version + 1);
    const again = run({ kind: 'customers', input: { path: join(dir, 'customers.csv') } });
    expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 264 });
    expect(customerRows(db)).toBe(before);
  });

  it("re-imports the demo bank's consents: every record updated, who may be contacted unchanged", () => {
    const before = [...CHANNELS].map((c) => contactableCustomers(db, c).length);
    expect(before.every((n) => n > 0)).toBe(true);
    const report = run({ kind: 'consents', input: { path: join(dir, 'consents.csv') } });
    expect(report.error).toBeNull();
    expect(report.inserted).toBe(0);
    expect(report.updated).toBeGreaterThan(264);
    expect([...CHANNELS].map((c) => contactableCustomers(db, c).length)).toEqual(before);
  });

  it('reads semicolons, CRLF, a BOM, GBK, Chinese headers and YYYYMMDD/YYMMDD dates into the same rows', () => {
    const records = readCsv(customersCsv, { delimiter: ',', quote: '"' });
    const header = (records[0]?.fields ?? []).map((h) =>
      h === 'customer_id'
        ? '客户号'
        : h === 'name'
          ? '客户名称'
          : h === 'id_number'
            ? '证件号码'
            : h,
    );
    const rows = records
      .slice(1)
      .map((r) =>
        r.fields.map((v, k) =>
          header[k] === 'linked_on' && v
            ? v.replaceAll('-', '')
            : header[k] === 'birth_date' && v
              ? v.slice(2).replaceAll('-', '')
              : v,
        ),
      );
    const semicolon = [header, ...rows]
      .map((r) => r.map((v) => (/[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(';'))
      .join('\r\n');
    const before = customerRows(db);
    const bom = run({ kind: 'customers', input: bytes(`\uFEFF${semicolon}`) });
    expect(bom.error).toBeNull();
    expect(bom.read).toMatchObject({ encoding: 'utf-8-bom', delimiter: ';' });
    expect(bom.read?.dateFormats).toMatchObject({ linked_on: 'YYYYMMDD', birth_date: 'YYMMDD' });
    expect(bom.read?.mapping).toMatchObject({
      customer_id: '客户号',
      name: '客户名称',
      id_number: '证件号码',
    });
    expect(customerRows(db)).toBe(before);
    const gbk = run({
      kind: 'customers',
      input: { bytes: gbkEncoder()(semicolon), name: 'gbk.csv' },
    });
    expect(gbk.error).toBeNull();
    expect(gbk.read?.encoding).toBe('gbk');
    expect(gbk.updated).toBe(264);
    expect(customerRows(db)).toBe(before);
  });

  it('refuses the whole file for one bad row, writes nothing, and names line, field and reason in the error file', () => {
    const lines = customersCsv.trimEnd().split('\n');
    lines[5] = (lines[5] as string).replace(/,retail,|,corporate,/, ',private,');
    lines[9] = (lines[9] as string).replace(/,(\d{4})-(\d\d)-(\d\d),/, ',2031-13-40,');
    const fresh = lines.map((l, i) => (i === 0 ? l : l.replace(/^([RC])/, 'N$1'))).join('\n');
    const before = dataDump(db);
    const errorFile = join(dir, 'errors.csv');
    const report = run({ kind: 'customers', input: bytes(fresh), errorFile });
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/2 of 264 rows were refused, so nothing was imported/);
    expect(report.rowsWritten).toBe(0);
    expect(dataDump(db)).toBe(before);
    const errors = readCsv(readFileSync(errorFile, 'utf8'), { delimiter: ',', quote: '"' }).map(
      (r) => r.fields,
    );
    expect(errors[0]).toEqual(['line', 'field', 'value', 'category', 'reason']);
    expect(errors.slice(1)).toEqual([
      ['6', 'kind', 'private', 'invalid', 'must be one of retail, corporate'],
      ['10', 'linked_on', '2031-13-40', 'invalid', 'not a date in the layout YYYY-MM-DD'],
    ]);
    // with skip, the good rows go in and the bad ones are reported
    const skipped = run({ kind: 'customers', input: bytes(fresh), onError: 'skip' });
    expect(skipped).toMatchObject({ status: 'succeeded', inserted: 262, rowsRejected: 2 });
  });

  it('reports duplicates, unknown branches and RMs, orphan events, out-of-range values; masks personal data in reports', () => {
    const header = customersCsv.split('\n')[0] as string;
    const row = (customersCsv.split('\n')[1] as string).split(',');
    const make = (patch: Record<number, string>) => row.map((v, k) => patch[k] ?? v).join(',');
    const file = [
      header,
      make({ 0: 'D1' }),
      make({ 0: 'D1' }), // duplicate
      make({ 0: 'D2', 5: '999999' }), // unknown org unit
      make({ 0: 'D3', 6: 'RM99999' }), // unknown RM
      make({ 0: 'D4', 3: '33010619900101' + 'x!' }), // bad ID number
      make({ 0: 'D5', 12: '2027-01-01' }), // born in the future
      make({ 0: 'D6', 2: '' }), // missing name
      `${make({ 0: 'D7' })},extra`, // ragged
    ].join('\n');
    const report = run({ kind: 'customers', input: bytes(file) });
    expect(report.issues).toEqual({
      duplicate: 1,
      unknown_branch: 2,
      invalid: 1,
      out_of_range: 1,
      missing: 1,
      malformed: 1,
    });
    const byLine = Object.fromEntries(report.examples.map((e) => [e.line, e]));
    expect(byLine[3]).toMatchObject({
      field: 'customer_id',
      category: 'duplicate',
      reason: 'D1 appears more than once in this file',
      code: 'duplicate',
      params: { value: 'D1' },
    });
    expect(byLine[4]).toMatchObject({
      field: 'org_unit_code',
      reason: 'no org unit with code 999999',
      code: 'no_org_unit',
      params: { value: '999999' },
    });
    expect(byLine[5]).toMatchObject({
      field: 'rm_code',
      reason: 'no relationship manager with code RM99999',
    });
    expect(byLine[6]?.field).toBe('id_number');
    expect(byLine[6]?.value).not.toContain('19900101'); // masked: first 6 and last 4 only
    expect(byLine[7]).toMatchObject({
      field: 'birth_date',
      category: 'out_of_range',
      code: 'date_range',
    });
    expect(byLine[9]).toMatchObject({
      field: '*',
      category: 'malformed',
      reason: '30 fields where the header has 29',
    });
    const events = `${eventsCsv.split('\n')[0]}\nE-ORPHAN,NOBODY,complaint,2026-10-01,\n`;
    expect(run({ kind: 'events', input: bytes(events) }).examples[0]).toMatchObject({
      line: 2,
      field: 'customer_id',
      category: 'orphan',
    });
  });

  it('resolves a reference to a customer earlier in the same file, and never echoes bad JSON or runaway rows', () => {
    const header = customersCsv.split('\n')[0] as string;
    const corporate = (
      customersCsv.split('\n').find((l) => l.includes(',corporate,')) as string
    ).split(',');
    const anchor = corporate.map((v, k) => (k === 0 ? 'NEW-ANCHOR' : v));
    const supplier = corporate.map((v, k) =>
      k === 0 ? 'NEW-SUPPLIER' : k === 28 ? 'NEW-ANCHOR' : k === 27 ? 'upstream' : v,
    );
    const report = run({
      kind: 'customers',
      input: bytes([header, anchor.join(','), supplier.join(',')].join('\n')),
    });
    expect(report.error).toBeNull();
    expect(report.inserted).toBe(2);
    const phone = '+8613800138000';
    const json = run({
      kind: 'outcomes',
      input: bytes(
        `{"outcome_id":"X0","customer_id":"C1","campaign_code":"A","channel":"sms","contacted_on":"2026-10-01"}\n{"outcome_id":"X1","customer_id":"C1","phone":${phone}}`,
        'bad.json',
      ),
    });
    expect(JSON.stringify(json)).not.toContain('1380013');
    expect(json.examples[0]).toMatchObject({
      category: 'malformed',
      reason: expect.stringMatching(/^not valid JSON/),
    });
    const wide = run({
      kind: 'events',
      input: bytes(`${eventsCsv.split('\n')[0]}\n${','.repeat(10_000)}\n`),
    });
    expect(wide.examples[0]?.reason).toBe('more than 4096 fields');
    expect(parsePeriod('2026-01-99')).toBeNull();
    expect(parsePeriod('2026-01-31')).toBe('2026-01');
  });

  it('resolves references to customers further down the file (a chain of them), and refuses one naming nobody', () => {
    const header = customersCsv.split('\n')[0] as string;
    const corporate = (
      customersCsv.split('\n').find((l) => l.includes(',corporate,')) as string
    ).split(',');
    // columns 27, 28: chain role, chain anchor (as in the test above)
    const firm = (no: string, anchor = '') =>
      corporate
        .map((v, k) =>
          k === 0 ? no : k === 28 ? anchor : k === 27 ? (anchor ? 'upstream' : '') : v,
        )
        .join(',');
    // FWD-1 names FWD-2, which names FWD-3, which comes last
    const chain = [header, firm('FWD-1', 'FWD-2'), firm('FWD-2', 'FWD-3'), firm('FWD-3')].join(
      '\n',
    );
    const before = dataDump(db);
    const orphan = run({ kind: 'customers', input: bytes(`${chain}\n${firm('FWD-4', 'NOBODY')}`) });
    expect(orphan.status).toBe('failed');
    expect(orphan.rowsRejected).toBe(1);
    expect(orphan.examples).toEqual([
      expect.objectContaining({
        line: 5,
        field: 'chain_anchor_id',
        category: 'orphan',
        value: 'NOBODY',
      }),
    ]);
    expect(dataDump(db)).toBe(before);
    const report = run({ kind: 'customers', input: bytes(chain) });
    expect(report.error).toBeNull();
    expect(report.inserted).toBe(3);
    const anchorOf = (no: string) =>
      db.sqlite
        .prepare(
          'SELECT a.external_id FROM customers c JOIN customers a ON a.id = c.chain_anchor_id WHERE c.external_id = ?',
        )
        .pluck()
        .get(no);
    expect([anchorOf('FWD-1'), anchorOf('FWD-2'), anchorOf('FWD-3')]).toEqual([
      'FWD-2',
      'FWD-3',
      undefined,
    ]);
    // with skip, the good rows (forward references included) are written, the orphan is not
    const skip = run({
      kind: 'customers',
      input: bytes(`${chain.replace(/FWD-/g, 'SKP-')}\n${firm('SKP-4', 'NOBODY')}`),
      onError: 'skip',
    });
    expect(skip).toMatchObject({ inserted: 3, rowsRejected: 1 });
    expect(anchorOf('SKP-1')).toBe('SKP-2');
  });

  it('writes a large file whose first rows leave columns empty (left out of the inserts) and a later row fills them', () => {
    // The writer leaves out of its inserts the nullable columns every row of the first batch
    // leaves empty (a retail file's corporate ones) and binds them all again from the first row
    // that fills one: every value lands in its own column either way, duplicates are still found.
    const lines = customersCsv.trimEnd().split('\n');
    const header = lines[0] as string;
    const retailLine = lines.find((l) => l.includes(',retail,')) as string;
    const corporateLine = lines.find(
      (l) => l.includes(',corporate,') && !/,,,,/.test(l.split(',').slice(18, 23).join(',')),
    ) as string;
    const retail = retailLine.split(',');
    const corporate = corporateLine.split(',');
    const as = (fields: string[], no: string) => [no, ...fields.slice(1)].join(',');
    const body: string[] = [];
    for (let k = 1; k <= 3_000; k++) body.push(as(retail, `LEAN-R${k}`));
    body.splice(99, 0, as(retail, 'LEAN-R50')); // line 101: a duplicate while columns are left out
    body.splice(2_600, 0, as(corporate, 'LEAN-C1')); // line 2,602: fills the corporate columns
    body.push(as(corporate, 'LEAN-C1')); // the last line: a duplicate after
    const fresh = openTestDatabase();
    try {
      seedDemoBank(fresh, BANK, undefined, () => now);
      const report = run({ kind: 'customers', input: bytes([header, ...body].join('\n')) }, fresh);
      expect(report.status).toBe('failed'); // two duplicates: refused, as any bad row
      expect(report.examples.map((e) => [e.line, e.category, e.value])).toEqual([
        [101, 'duplicate', 'LEAN-R50'],
        [body.length + 1, 'duplicate', 'LEAN-C1'],
      ]);
      const skipped = run(
        { kind: 'customers', input: bytes([header, ...body].join('\n')), onError: 'skip' },
        fresh,
      );
      expect(skipped).toMatchObject({ inserted: 3_001, rowsRejected: 2 });
      const row = (no: string) => {
        const r = fresh.sqlite.prepare('SELECT * FROM customers WHERE external_id = ?').get(no) as
          Record<string, unknown> | undefined;
        if (!r) return r;
        const { id: _id, external_id: _ext, import_batch: _batch, ...rest } = r;
        return rest;
      };
      // the same values as the rows they copy (which the demo seed wrote column by column)
      const seededRetail = row(retail[0] as string);
      const seededCorporate = row(corporate[0] as string);
      expect(seededCorporate?.industry_code).not.toBeNull();
      expect(seededCorporate?.revenue).not.toBeNull();
      for (const no of ['LEAN-R1', 'LEAN-R50', 'LEAN-R2600', 'LEAN-R3000'])
        expect(row(no), no).toEqual(seededRetail);
      expect(row('LEAN-C1')).toEqual(seededCorporate);
    } finally {
      fresh.close();
    }
  });

  it('says which required fields have no column, and uses an explicit mapping saved for a source system', () => {
    const renamed = customersCsv.replace(/^customer_id,/, 'CIF_NO,');
    const missing = run({ kind: 'customers', input: bytes(renamed) });
    expect(missing.error).toMatch(
      /No column for the required field\(s\) customer_id: none of the file's 29 header names matches/,
    );
    expect(missing.error).not.toContain('CIF_NO'); // headers are not echoed: they may be data
    const mapped = run({
      kind: 'customers',
      input: bytes(renamed),
      source: 'core-banking',
      mapping: { customer_id: 'CIF_NO' },
      saveMapping: true,
    });
    expect(mapped.error).toBeNull();
    expect(getSavedMapping(db, 'core-banking', 'customers')?.mapping).toMatchObject({
      customer_id: 'CIF_NO',
    });
    const reused = run({ kind: 'customers', input: bytes(renamed), source: 'core-banking' });
    expect(reused).toMatchObject({ status: 'succeeded', rowsRejected: 0 });
    expect(
      run({ kind: 'customers', input: bytes(renamed), mapping: { customer_id: 'NOPE' } }).error,
    ).toMatch(/names columns the file does not have: customer_id → "NOPE"/);
  });

  it('reads JSON arrays and NDJSON; imports outcomes; refuses bytes that are not valid UTF-8 with the line', () => {
    const customer = (customersCsv.split('\n')[1] as string).split(',')[0] as string;
    const outcomes = [
      {
        outcome_id: 'O1',
        customer_id: customer,
        campaign_code: 'WM-2026Q4',
        channel: 'call_out',
        contacted_on: '2026-10-12',
        responded: true,
        converted: true,
        amount: 50000,
      },
      {
        outcome_id: 'O2',
        customer_id: customer,
        campaign_code: 'WM-2026Q4',
        channel: 'sms',
        contacted_on: '2026-10-13',
        responded: false,
      },
    ];
    const array = run({
      kind: 'outcomes',
      input: bytes(JSON.stringify(outcomes, null, 2), 'o.json'),
    });
    expect(array).toMatchObject({ status: 'succeeded', inserted: 2 });
    const nd = run({
      kind: 'outcomes',
      input: bytes(outcomes.map((o) => JSON.stringify(o)).join('\n'), 'o.ndjson'),
    });
    expect(nd).toMatchObject({ status: 'succeeded', inserted: 0, updated: 2 });
    expect(
      db.sqlite
        .prepare("SELECT converted, amount FROM campaign_outcomes WHERE external_id = 'O1'")
        .get(),
    ).toEqual({ converted: 1, amount: 50000 });
    const bad = new Uint8Array([
      ...new TextEncoder().encode(`${eventsCsv.split('\n').slice(0, 3).join('\n')}\n`),
      0xff,
      0xfe,
      0x0a,
    ]);
    const report = run({
      kind: 'events',
      input: { bytes: bad, name: 'bad.csv' },
      encoding: 'utf-8',
    });
    expect(report.error).toMatch(
      /line 4: bytes that are not valid UTF-8 \(if the file is GBK-encoded, choose encoding gbk\)/,
    );
  });

  it('records imports and failures in the audit log, whose chain stays sound', () => {
    const actions = db.sqlite
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'import%'")
      .pluck()
      .all();
    expect(actions).toContain('import');
    expect(actions).toContain('import.failed');
    expect(verifyAuditLog(db).ok).toBe(true);
  });
});

describe('import fuzzing', () => {
  it('never throws, reports every bad row, and leaves the data unchanged when it refuses a file (property)', () => {
    const lines = customersCsv.trimEnd().split('\n');
    const header = lines[0] as string;
    const good = lines.slice(1, 40);
    const corruption = fc.oneof(
      fc.constant((l: string) => l.replace(/,(retail|corporate),/, ',x,')),
      fc.constant((l: string) => `${l},ragged`),
      fc.constant((l: string) => l.split(',').slice(0, 5).join(',')),
      fc.constant((l: string) => l.replace(/^[^,]+/, `"${'A'.repeat(70_000)}"`)),
      fc.constant((l: string) => l.replace(/,(\d{4}-\d\d-\d\d),/, ',not-a-day,')),
      fc.constant((l: string) => l.replace(/,[^,]*,/, ',"unclosed,')),
      fc.constant((l: string) =>
        l.replace(
          /^[^,]+,[^,]+,[^,]+/,
          (m) => `${m.split(',').slice(0, 2).join(',')},"x""; DROP TABLE customers;--\u0000"`,
        ),
      ),
      fc.string({ maxLength: 40 }).map((junk) => (l: string) => `${l.slice(0, 12)}${junk}\u0007`),
    );
    const before = dataDump(db);
    let files = 0;
    // The parsing is the same code on either database; on PostgreSQL (test:pg), where each
    // import is many round trips, fewer files still check that a refused one writes nothing.
    const runs = db.dialect === 'postgres' ? 300 : 1500;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: good.length - 1 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(corruption, { minLength: 6, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        (bad, how, eol) => {
          files++;
          const body = good.map((l, i) => {
            const k = bad.indexOf(i);
            // a fresh key, so a corrupted row can never collide with the rest
            return k < 0 ? l : (how[k] as (s: string) => string)(l.replace(/^([RC])/, 'Z$1'));
          });
          // one unclosed quote swallows the rest of the file into one field: only from there on
          const text = [header, ...body].join(eol) + eol;
          const report = run({ kind: 'customers', input: bytes(text) });
          expect(report.status).toBe('failed');
          const reported = new Set(report.examples.map((e) => e.line));
          const firstBad = Math.min(...bad) + 2;
          expect(reported.has(firstBad)).toBe(true);
          expect(report.rowsRejected).toBeGreaterThanOrEqual(1);
          expect(report.rowsRejected).toBeLessThanOrEqual(bad.length);
        },
      ),
      { numRuns: runs },
    );
    expect(files).toBe(runs);
    expect(dataDump(db)).toBe(before);
  }, 240_000); // 1,500 imports: ~4 s alone, several times that beside the other suites; 300 on PostgreSQL: ~80 s in CI
});
