import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CsvReader,
  IMPORT_FIELDS,
  compileField,
  convertValue,
  csvCell,
  parseDate,
  readCsv,
  REFUSED,
  rowSchema,
  type CheckContext,
} from './index.js';

// Reading and checking without a database: the CSV reader, date layouts and the three checkers
// (compiled, reasoned, zod). The imports themselves are in ../import.test.ts.

describe('CSV reading', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, CRLF and a last line without a line end', () => {
    const text = 'a;b;c\r\n"x;1";"say ""hi""";"two\r\nlines"\r\nplain;;end';
    const records = readCsv(text, { delimiter: ';', quote: '"' });
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x;1', 'say "hi"', 'two\r\nlines'],
      ['plain', '', 'end'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('marks malformed records and goes on', () => {
    const records = readCsv('a,b\nx"y,1\n"ok",2\n"z"w,3\n"open,4', { delimiter: ',', quote: '"' });
    expect(records[1]?.error).toMatch(/line 2: a quote/);
    expect(records[2]).toEqual({ fields: ['ok', '2'], line: 3 });
    expect(records[3]?.error).toMatch(/line 4: text after the closing quote/);
    expect(records[4]?.error).toMatch(/line 5: a quoted field is never closed/);
  });

  it('refuses a record longer than 1M characters in all, keeping none of its further text, and reads the next', () => {
    const wide = Array.from({ length: 20 }, (_, k) => String.fromCharCode(97 + k).repeat(60_000));
    const records = readCsv(`a,b\n${wide.join(',')}\nx,y\n`, { delimiter: ',', quote: '"' });
    expect(records).toHaveLength(3);
    expect(records[1]?.error).toBe(`line 2: a record longer than ${1 << 20} characters`);
    // the fields up to the limit are kept (17 × 60,000 = 1,020,000), the rest are empty
    expect(records[1]?.fields.map((f) => f.length)).toEqual([
      ...Array<number>(17).fill(60_000),
      0,
      0,
      0,
    ]);
    expect(records[2]).toEqual({ fields: ['x', 'y'], line: 3 });
  });

  it('gives the same records however the text is cut into chunks (property)', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', '中', ';'),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('\n', '\r\n'),
        (rows, cuts, eol) => {
          const text = rows.map((r) => r.map(csvCell).join(',')).join(eol) + eol;
          const whole = readCsv(text, { delimiter: ',', quote: '"' });
          const pieces: typeof whole = [];
          const reader = new CsvReader({ delimiter: ',', quote: '"' });
          let at = 0;
          let k = 0;
          while (at < text.length) {
            const size = cuts[k++ % cuts.length] as number;
            reader.write(text.slice(at, at + size), (r) => pieces.push(r));
            at += size;
          }
          reader.end((r) => pieces.push(r));
          expect(pieces).toEqual(whole);
          // a row whose only cell is empty is a blank line, which is skipped
          const expected = rows.filter((r) => !(r.length === 1 && r[0] === ''));
          expect(whole.map((r) => r.fields)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('dates', () => {
  it('reads each layout, refuses impossible days, and takes two-digit years as not after this year', () => {
    expect(parseDate('2024-02-29', 'YYYY-MM-DD', 2026)).toBe('2024-02-29');
    expect(parseDate('2026-02-29', 'YYYY-MM-DD', 2026)).toBeNull();
    expect(parseDate('20261031', 'YYYYMMDD', 2026)).toBe('2026-10-31');
    expect(parseDate('261031', 'YYMMDD', 2026)).toBe('2026-10-31');
    expect(parseDate('961031', 'YYMMDD', 2026)).toBe('1996-10-31');
    expect(parseDate('270101', 'YYMMDD', 2026)).toBe('1927-01-01');
    expect(parseDate('2026/1/5', 'YYYY/MM/DD', 2026)).toBe('2026-01-05');
  });
});

describe('checks', () => {
  it('the compiled checker, the reasoned one and the zod schema agree on every value (property)', () => {
    const ctx: CheckContext = {
      today: '2026-11-22',
      pivotYear: 2026,
      dateFormats: {},
      orgUnit: (c) => (c === '330101' ? 5 : undefined),
      rm: (c) => (c === 'RM00001' ? 1 : undefined),
      customer: (c) => (c === 'C000000001' ? 1 : undefined),
    };
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '',
        '0',
        '1',
        '-1',
        '1e3',
        '0x10',
        ' 5',
        '2.5',
        'Infinity',
        'retail',
        'M',
        'Y',
        '是',
        '2026-02-29',
        '2024-02-29',
        '1899-12-31',
        '2026-11-23',
        '2026-10',
        '330101',
        'RM00001',
        'C000000001',
        "x'; DROP TABLE customers;--",
        '13800000000',
        '330101199001011234',
        'app_push',
        'large_inflow',
      ),
      fc.double().map(String),
      fc.integer().map(String),
    );
    for (const kind of ['customers', 'monthly_metrics', 'events', 'outcomes'] as const) {
      const specs = IMPORT_FIELDS[kind];
      const schema = rowSchema(kind, ctx.today);
      const checkers = specs.map((s) => compileField(s, ctx));
      fc.assert(
        fc.property(
          fc.array(value, { minLength: specs.length, maxLength: specs.length }),
          (raws) => {
            const row: Record<string, unknown> = {};
            let ok = true;
            specs.forEach((spec, k) => {
              const fast = (checkers[k] as (raw: string) => unknown)(raws[k] as string);
              const slow = convertValue(spec, raws[k] as string, ctx);
              expect(fast === REFUSED).toBe(!('value' in slow));
              if ('value' in slow) {
                expect(fast).toEqual(slow.value);
                row[spec.name] = slow.value;
              } else {
                ok = false;
                // every refusal carries a code the dashboard can say in Chinese
                expect(slow.code).toBeDefined();
              }
            });
            if (ok) expect(schema.safeParse(row).success).toBe(true);
          },
        ),
        { numRuns: 400 },
      );
    }
  });
});
