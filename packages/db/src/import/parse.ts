import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { IMPORT_FIELDS, type ImportKind } from './catalogue.js';
import { CsvReader, detectDelimiter } from './csv.js';
import { DATE_FORMATS, detectDateFormat, type DateFormat } from './dates.js';
import type { CheckContext, FieldIssue, Value } from './fields.js';
import { JsonReader, jsonCell } from './json.js';
import type { ReadOptions } from './request.js';
import { RowChecker, type SourceRecord } from './rows.js';
import { StrictDecoder, detectEncoding, type Encoding } from './text.js';

/** A file-level problem: the import cannot start or go on. */
export class ImportError extends Error {}

/** Target field → the source column (CSV header or JSON key) it is read from. */
export type ColumnMapping = Readonly<Record<string, string>>;

/** One refused value, as in the error file. */
export interface RowIssue extends FieldIssue {
  readonly line: number;
  /** The refused value, personal data masked, cut to 100 characters. */
  readonly value: string;
}

/** Where an import reads from: a file, or bytes (tests, small uploads). */
export type ImportInput =
  | { readonly path: string; readonly name?: string }
  | { readonly bytes: Uint8Array; readonly name: string };

/** What the reading side needs to know: plain data, so it can go to a worker thread. */
export interface ParseSetup extends ReadOptions {
  readonly kind: ImportKind;
  readonly input: ImportInput;
  readonly today: string;
  readonly pivotYear: number;
  /** Org unit and RM codes → ids. */
  readonly orgUnits: readonly (readonly [string, number])[];
  readonly rms: readonly (readonly [string, number])[];
  readonly chunkSize?: number;
  /** Rows per batch handed to the writer. */
  readonly batchRows?: number;
}

/** What was detected or chosen, once the header and the first rows are read. */
export interface ParseHeader {
  readonly type: 'header';
  readonly format: 'csv' | 'json';
  readonly encoding: Encoding;
  readonly delimiter: string | null;
  readonly quote: string | null;
  readonly columns: readonly string[];
  readonly mapping: Readonly<Record<string, string>>;
  readonly unmapped: readonly string[];
  readonly dateFormats: Readonly<Record<string, DateFormat>>;
  /** The mapped fields, in the order of each row's values. */
  readonly fields: readonly string[];
  readonly totalBytes: number;
  readonly expectedRows: number;
}

/**
 * Checked rows, ready to write: `values` holds `fields.length` values per row, converted,
 * except references to customers, which stay as read (the writer resolves them, since rows
 * written earlier in the same transaction count). Refused rows are not in it; their issues are.
 */
export interface ParseBatch {
  readonly type: 'batch';
  readonly values: Value[];
  readonly lines: number[];
  readonly issues: RowIssue[];
  readonly rowsRead: number;
  readonly rowsRefused: number;
  /** Empty values per field (same order as `fields`) in this batch. */
  readonly empty: number[];
  readonly bytesRead: number;
}

export type ParseEvent = ParseHeader | ParseBatch;

/** Reads a file (or bytes) in chunks. */
export class Source {
  private fd: number | null = null;
  private offset = 0;
  readonly size: number;
  readonly name: string;
  constructor(private readonly input: ImportInput) {
    if ('path' in input) {
      this.fd = openSync(input.path, 'r');
      this.size = fstatSync(this.fd).size;
      this.name = input.name ?? basename(input.path);
    } else {
      this.size = input.bytes.length;
      this.name = input.name;
    }
  }
  /** The next chunk, or null at the end. */
  read(buffer: Uint8Array): Uint8Array | null {
    if (this.fd === null) {
      const bytes = (this.input as { bytes: Uint8Array }).bytes;
      if (this.offset >= bytes.length) return null;
      const chunk = bytes.subarray(this.offset, this.offset + buffer.length);
      this.offset += chunk.length;
      return chunk;
    }
    const n = readSync(this.fd, buffer, 0, buffer.length, null);
    if (n === 0) return null;
    this.offset += n;
    return buffer.subarray(0, n);
  }
  get bytesRead(): number {
    return this.offset;
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Rows a file of `size` bytes holds, judged by the length of the lines in its first chunk. */
function estimateRows(size: number, head: string): number {
  const lines = head.split('\n').length - 1;
  if (lines < 2) return 0;
  return Math.round((size / head.length) * lines);
}

const normal = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s\-_]+/g, '_');

/**
 * Maps source columns to fields: an explicit mapping wins, then a header equal to the field's
 * name or one of its aliases (case, spaces, dashes and underscores ignored).
 */
export function resolveMapping(
  kind: ImportKind,
  header: readonly string[],
  given: ColumnMapping | undefined,
): { mapping: Record<string, string>; missing: string[]; unknown: string[]; unmapped: string[] } {
  const specs = IMPORT_FIELDS[kind];
  const byNormal = new Map(header.map((h) => [normal(h), h]));
  const mapping: Record<string, string> = {};
  const unknown: string[] = [];
  for (const spec of specs) {
    const explicit = given?.[spec.name];
    if (explicit !== undefined) {
      if (header.includes(explicit)) mapping[spec.name] = explicit;
      else unknown.push(`${spec.name} → "${explicit}"`);
      continue;
    }
    for (const candidate of [spec.name, ...(spec.aliases ?? [])]) {
      const h = byNormal.get(normal(candidate));
      if (h !== undefined) {
        mapping[spec.name] = h;
        break;
      }
    }
  }
  for (const name of Object.keys(given ?? {}))
    if (!specs.some((s) => s.name === name)) unknown.push(`${name} (not a field of ${kind})`);
  const missing = specs
    .filter((s) => s.required && mapping[s.name] === undefined)
    .map((s) => s.name);
  const used = new Set(Object.values(mapping));
  return { mapping, missing, unknown, unmapped: header.filter((h) => !used.has(h)) };
}

const SAMPLE_ROWS = 1000;

/**
 * Reads, decodes, cuts, maps and checks a file: first a `header` event (what was detected),
 * then `batch` events of checked rows. Throws ImportError (or EncodingError) for a file-level
 * problem. Pure computation on the file: no database, so it runs in a worker thread as well.
 */
export function* parseFile(setup: ParseSetup): Generator<ParseEvent, void, void> {
  const kind = setup.kind;
  const specs = IMPORT_FIELDS[kind];
  const source = new Source(setup.input);
  try {
    const chunk = new Uint8Array(setup.chunkSize ?? 1 << 20);
    const first = source.read(chunk);
    if (first === null) throw new ImportError('The file is empty.');
    const firstBytes = Uint8Array.from(first); // the buffer is reused
    const encoding = setup.encoding ?? detectEncoding(firstBytes);
    const decoder = new StrictDecoder(encoding);
    const firstText = decoder.decode(firstBytes, false);
    const trimmed = firstText.replace(/^\uFEFF/, '').trimStart();
    const format =
      setup.format ?? (trimmed.startsWith('[') || trimmed.startsWith('{') ? 'json' : 'csv');
    const quote = setup.quote ?? '"';
    const firstLine = trimmed.slice(0, Math.max(0, trimmed.search(/\r|\n/)) || trimmed.length);
    const delimiter =
      format === 'csv' ? (setup.delimiter ?? detectDelimiter(firstLine, quote)) : null;

    // Records as arrays of cells, header first: CSV as it is; JSON objects by their keys.
    let pending: SourceRecord[] = [];
    let header: string[] | null = null;
    let jsonKeys: string[] | null = null;
    const csv = format === 'csv' ? new CsvReader({ delimiter: delimiter as string, quote }) : null;
    const json = format === 'json' ? new JsonReader() : null;
    const emitCsv = (r: { fields: string[]; line: number; error?: string }) => {
      if (header === null && r.error === undefined)
        header = r.fields.map((h) => h.replace(/^\uFEFF/, '').trim());
      else if (header === null) throw new ImportError(`The header row is malformed: ${r.error}`);
      else
        pending.push(
          r.error === undefined
            ? { cells: r.fields, line: r.line }
            : { cells: null, line: r.line, error: r.error },
        );
    };
    const emitJson = (r: { value?: Record<string, unknown>; line: number; error?: string }) => {
      if (
        r.value === undefined ||
        typeof r.value !== 'object' ||
        Array.isArray(r.value) ||
        r.value === null
      ) {
        pending.push({
          cells: null,
          line: r.line,
          error: r.error ?? `line ${r.line}: not a JSON object`,
        });
        return;
      }
      jsonKeys ??= [];
      const cells: string[] = [];
      for (const key of Object.keys(r.value)) if (!jsonKeys.includes(key)) jsonKeys.push(key);
      let bad: string | undefined;
      for (const key of jsonKeys) {
        const cell = jsonCell(r.value[key]);
        if (cell === undefined)
          bad ??= `line ${r.line}: "${key}" holds an object, an array or a non-finite number`;
        cells.push(cell ?? '');
      }
      pending.push(
        bad === undefined ? { cells, line: r.line } : { cells: null, line: r.line, error: bad },
      );
    };
    const pushText = (text: string, last: boolean) => {
      if (csv) {
        csv.write(text, emitCsv);
        if (last) csv.end(emitCsv);
      } else if (json) {
        json.write(text, emitJson);
        if (last) json.end(emitJson);
      }
    };
    let done = false;
    const readMore = () => {
      const next = source.read(chunk);
      if (next === null) {
        pushText(decoder.decode(new Uint8Array(0), true), true);
        done = true;
      } else pushText(decoder.decode(next, false), false);
    };

    // Read until the header and a sample of rows are in: they decide mapping and date layouts.
    pushText(firstText, false);
    while (!done && pending.length < SAMPLE_ROWS) readMore();
    const columns: string[] = format === 'csv' ? (header ?? []) : (jsonKeys ?? []);
    if (columns.length === 0)
      throw new ImportError('The file has no header row (CSV) or no objects (JSON).');
    const resolved = resolveMapping(kind, columns, setup.mapping);
    if (resolved.unknown.length > 0)
      throw new ImportError(
        `The mapping names columns the file does not have: ${resolved.unknown.join('; ')} (the file has ${columns.length} columns).`,
      );
    if (resolved.missing.length > 0)
      // the header is not echoed: a file without one has personal data in its first row
      throw new ImportError(
        `No column for the required field(s) ${resolved.missing.join(', ')}: none of the file's ${columns.length} header names matches them or their aliases; map them to columns of the header row (does the file have one?).`,
      );
    const dateFormats: Record<string, DateFormat> = {};
    for (const spec of specs) {
      if (spec.of.type !== 'date' || resolved.mapping[spec.name] === undefined) continue;
      const chosen = setup.dateFormats?.[spec.name];
      if (chosen !== undefined) {
        if (!DATE_FORMATS.includes(chosen))
          throw new ImportError(
            `Unknown date layout ${chosen} for ${spec.name}: use one of ${DATE_FORMATS.join(', ')}.`,
          );
        dateFormats[spec.name] = chosen;
        continue;
      }
      const at = columns.indexOf(resolved.mapping[spec.name] as string);
      const samples = pending.flatMap((r) =>
        r.cells && r.cells[at] !== undefined ? [(r.cells[at] as string).trim()] : [],
      );
      dateFormats[spec.name] = detectDateFormat(samples, setup.pivotYear) ?? 'YYYY-MM-DD';
    }
    const mapped = specs.filter((s) => resolved.mapping[s.name] !== undefined);
    yield {
      type: 'header',
      format,
      encoding,
      delimiter,
      quote: format === 'csv' ? quote : null,
      columns,
      mapping: resolved.mapping,
      unmapped: resolved.unmapped,
      dateFormats,
      fields: mapped.map((s) => s.name),
      totalBytes: source.size,
      expectedRows: estimateRows(source.size, firstText),
    };

    const orgUnits = new Map(setup.orgUnits);
    const rms = new Map(setup.rms);
    const ctx: CheckContext = {
      today: setup.today,
      pivotYear: setup.pivotYear,
      dateFormats,
      orgUnit: (code) => orgUnits.get(code),
      rm: (code) => rms.get(code),
      customer: () => undefined, // resolved by the writer
    };
    const at = mapped.map((s) => columns.indexOf(resolved.mapping[s.name] as string));
    const rows = new RowChecker(mapped, at, format === 'csv' ? columns.length : null, ctx);
    const batchRows = setup.batchRows ?? 2048;
    for (;;) {
      const records = pending;
      pending = [];
      for (const r of records) {
        rows.take(r);
        if (rows.read >= batchRows) yield rows.batch(source.bytesRead);
      }
      if (done) break;
      readMore();
    }
    if (rows.hasAny) yield rows.batch(source.bytesRead);
  } finally {
    source.close();
  }
}
