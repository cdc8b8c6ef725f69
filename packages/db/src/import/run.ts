import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { maskIdNumber, maskName, maskPhone } from '@strata/core';
import { appendAudit } from '../audit.js';
import { bumpDataVersion } from '../metric-blocks.js';
import type { StrataDb } from '../types.js';
import { CsvReader, csvCell, detectDelimiter } from './csv.js';
import { DATE_FORMATS, detectDateFormat, type DateFormat } from './dates.js';
import {
  IMPORT_FIELDS,
  REFUSED,
  compileField,
  convertValue,
  type CheckContext,
  type FieldIssue,
  type FieldSpec,
  type ImportKind,
  type IssueCategory,
  type Value,
} from './fields.js';
import { JsonReader, jsonCell } from './json.js';
import { EncodingError, StrictDecoder, detectEncoding, type Encoding } from './text.js';

/** Target field → the source column (CSV header or JSON key) it is read from. */
export type ColumnMapping = Readonly<Record<string, string>>;

/** How to read a file; anything left out is detected. */
export interface ReadOptions {
  readonly format?: 'csv' | 'json';
  readonly encoding?: Encoding;
  readonly delimiter?: string;
  readonly quote?: string;
  /** Date layout per date field (by field name); detected from the first rows when absent. */
  readonly dateFormats?: Readonly<Record<string, DateFormat>>;
  readonly mapping?: ColumnMapping;
}

/** What to import and how. */
export interface ImportRequest extends ReadOptions {
  readonly kind: ImportKind;
  /** The file to read, or its bytes (tests, small uploads). */
  readonly input:
    | { readonly path: string; readonly name?: string }
    | { readonly bytes: Uint8Array; readonly name: string };
  /** The source system (e.g. "core-banking"): its saved mapping is used when none is given. */
  readonly source?: string;
  /** Save the mapping and read options used, for the source, when the import succeeds. */
  readonly saveMapping?: boolean;
  /**
   * `reject` (default): any bad row fails the whole import and nothing is written.
   * `skip`: good rows are written, bad ones reported.
   */
  readonly onError?: 'reject' | 'skip';
  /** Where to write the row-level error file (CSV: line, field, value, category, reason). */
  readonly errorFile?: string;
  readonly actor: string;
  readonly origin?: string | null;
  readonly now?: Date;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Called once the run is recorded, with its id (before any row is read). */
  readonly onStart?: (runId: number) => void;
  /** Bytes read per step. @default 1 MiB */
  readonly chunkSize?: number;
}

/** Progress of a running import. */
export interface ImportProgress {
  readonly runId: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly rowsRead: number;
  readonly rowsRejected: number;
}

/** One refused row's reason, as in the error file. */
export interface RowIssue extends FieldIssue {
  readonly line: number;
  /** The refused value, personal data masked, cut to 100 characters. */
  readonly value: string;
}

/** The data-quality report of an import. */
export interface ImportReport {
  readonly runId: number;
  readonly kind: ImportKind;
  readonly status: 'succeeded' | 'failed';
  /** Why the whole import failed (a file-level problem or rejected rows), if it did. */
  readonly error: string | null;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly inserted: number;
  readonly updated: number;
  readonly rowsRejected: number;
  /** Issues per category (missing, invalid, out_of_range, duplicate, unknown_branch, orphan, malformed). */
  readonly issues: Readonly<Partial<Record<IssueCategory, number>>>;
  /** Issues per field and category. */
  readonly fields: Readonly<Record<string, Partial<Record<IssueCategory, number>>>>;
  /** The first issues, for a quick look (the error file has them all). */
  readonly examples: readonly RowIssue[];
  /** Empty optional values per field (how complete the data is). */
  readonly empty: Readonly<Record<string, number>>;
  readonly read: {
    readonly format: 'csv' | 'json';
    readonly encoding: Encoding;
    readonly delimiter: string | null;
    readonly quote: string | null;
    readonly dateFormats: Readonly<Record<string, DateFormat>>;
    readonly mapping: ColumnMapping;
    readonly unmappedColumns: readonly string[];
  } | null;
  readonly errorFile: string | null;
  readonly ms: number;
}

/** A file-level problem: the import cannot start or go on. */
export class ImportError extends Error {}

const TABLE: Readonly<Record<ImportKind, { table: string; key: string }>> = {
  relationship_managers: { table: 'relationship_managers', key: 'code' },
  customers: { table: 'customers', key: 'external_id' },
  monthly_metrics: { table: 'monthly_metrics', key: 'customer_id, period' },
  events: { table: 'events', key: 'external_id' },
  outcomes: { table: 'campaign_outcomes', key: 'external_id' },
};

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

/** A saved mapping of a source system for a kind of file. */
export interface SavedMapping {
  readonly source: string;
  readonly kind: ImportKind;
  readonly mapping: ColumnMapping;
  readonly options: Omit<ReadOptions, 'mapping'>;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** The saved mapping of a source system for a kind of file, if any. */
export function getSavedMapping(
  db: StrataDb,
  source: string,
  kind: ImportKind,
): SavedMapping | undefined {
  const row = db.sqlite
    .prepare(
      'SELECT mapping, options, updated_by AS updatedBy, updated_at AS updatedAt FROM import_mappings WHERE source = ? AND kind = ?',
    )
    .get(source, kind) as
    { mapping: string; options: string; updatedBy: string; updatedAt: string } | undefined;
  if (!row) return undefined;
  return {
    source,
    kind,
    mapping: JSON.parse(row.mapping),
    options: JSON.parse(row.options),
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

/** Saves (replacing) a source system's mapping for a kind of file. */
export function saveMapping(
  db: StrataDb,
  saved: Omit<SavedMapping, 'updatedAt'>,
  now = new Date(),
): void {
  db.sqlite
    .prepare(
      `INSERT INTO import_mappings (source, kind, mapping, options, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, kind) DO UPDATE SET mapping = excluded.mapping, options = excluded.options, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .run(
      saved.source,
      saved.kind,
      JSON.stringify(saved.mapping),
      JSON.stringify(saved.options),
      saved.updatedBy,
      now.toISOString(),
    );
}

/** The source systems' saved mappings. */
export function listSavedMappings(db: StrataDb): SavedMapping[] {
  const rows = db.sqlite
    .prepare('SELECT source, kind FROM import_mappings ORDER BY source, kind')
    .all() as { source: string; kind: ImportKind }[];
  return rows.map((r) => getSavedMapping(db, r.source, r.kind) as SavedMapping);
}

function maskValue(spec: FieldSpec | undefined, value: string): string {
  const v = value.length > 100 ? `${value.slice(0, 100)}…` : value;
  switch (spec?.personal) {
    case 'name':
      return maskName(v);
    case 'id':
      return maskIdNumber(v);
    case 'phone':
      return maskPhone(v);
    default:
      return v;
  }
}

/** Rows a file of `size` bytes holds, judged by the length of the lines in its first chunk. */
function estimateRows(size: number, head: string): number {
  const lines = head.split('\n').length - 1;
  if (lines < 2) return 0;
  return Math.round((size / head.length) * lines);
}

/** Reads a file (or bytes) in chunks. */
class Source {
  private fd: number | null = null;
  private offset = 0;
  readonly size: number;
  readonly name: string;
  constructor(private readonly input: ImportRequest['input']) {
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

/** Buffers the error file's lines and writes them in large pieces. */
class ErrorFile {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    this.push('line,field,value,category,reason\n');
  }
  add(issue: RowIssue): void {
    this.push(
      `${issue.line},${csvCell(issue.field)},${csvCell(issue.value)},${issue.category},${csvCell(issue.reason)}\n`,
    );
  }
  private push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const SAMPLE_ROWS = 1000;
const BATCH = 64;
const EXAMPLES = 20;

/**
 * Imports one file of customers, monthly metrics, events or campaign outcomes.
 *
 * The file is read in chunks (bounded memory whatever its size), decoded strictly in its
 * encoding, cut into records (CSV or JSON), mapped to fields, and every value of every row is
 * checked (type, layout, range, references to org units, RMs and customers, duplicates in the
 * file). Rows are upserted by their key (customer number, customer + month, event or outcome id)
 * inside one transaction: with `onError: 'reject'` a single bad row, or any file-level problem,
 * rolls everything back, so a failed import writes nothing; re-importing a file changes nothing.
 * The run, its options and its data-quality report are kept in `import_runs`; the import (or its
 * failure) is in the audit log.
 *
 * Run it on a connection nothing else writes through meanwhile (the CLI's, or a worker's): the
 * transaction spans the whole file.
 */
export function importFile(db: StrataDb, request: ImportRequest): ImportReport {
  const now = request.now ?? new Date();
  const started = performance.now();
  const kind = request.kind;
  const specs = IMPORT_FIELDS[kind];
  const source = new Source(request.input);
  const runId = Number(
    db.sqlite
      .prepare(
        "INSERT INTO import_runs (kind, source, file_name, actor, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)",
      )
      .run(kind, request.source ?? null, source.name, request.actor, now.toISOString())
      .lastInsertRowid,
  );

  request.onStart?.(runId);
  const issuesByCategory: Partial<Record<IssueCategory, number>> = {};
  const issuesByField: Record<string, Partial<Record<IssueCategory, number>>> = {};
  const examples: RowIssue[] = [];
  const empty: Record<string, number> = {};
  let errors: ErrorFile | null = null;
  let rowsRead = 0;
  let rowsWritten = 0;
  let rowsRejected = 0;
  let inserted = 0;
  let read: ImportReport['read'] = null;
  let failure: string | null = null;
  let inTransaction = false;
  let foreignKeys = false;

  const report = (issue: RowIssue) => {
    issuesByCategory[issue.category] = (issuesByCategory[issue.category] ?? 0) + 1;
    const byField = (issuesByField[issue.field] ??= {});
    byField[issue.category] = (byField[issue.category] ?? 0) + 1;
    if (examples.length < EXAMPLES) examples.push(issue);
    errors?.add(issue);
  };

  try {
    if (request.errorFile) errors = new ErrorFile(request.errorFile);
    const saved = request.source ? getSavedMapping(db, request.source, kind) : undefined;
    const chunk = new Uint8Array(request.chunkSize ?? 1 << 20);
    const first = source.read(chunk);
    if (first === null) throw new ImportError('The file is empty.');
    const firstBytes = Uint8Array.from(first); // the buffer is reused
    const encoding = request.encoding ?? saved?.options.encoding ?? detectEncoding(firstBytes);
    const decoder = new StrictDecoder(encoding);
    const firstText = decoder.decode(firstBytes, false);
    const trimmed = firstText.replace(/^\uFEFF/, '').trimStart();
    const format =
      request.format ??
      saved?.options.format ??
      (trimmed.startsWith('[') || trimmed.startsWith('{') ? 'json' : 'csv');
    const quote = request.quote ?? saved?.options.quote ?? '"';
    const firstLine = trimmed.slice(0, Math.max(0, trimmed.search(/\r|\n/)) || trimmed.length);
    const delimiter =
      format === 'csv'
        ? (request.delimiter ?? saved?.options.delimiter ?? detectDelimiter(firstLine, quote))
        : null;

    // Records as arrays of cells, header first: CSV as it is; JSON objects by their keys.
    type Rec = { cells: string[] | null; line: number; error?: string };
    const pending: Rec[] = [];
    let header: string[] | null = null;
    let jsonKeys: string[] | null = null;
    const csv = format === 'csv' ? new CsvReader({ delimiter: delimiter as string, quote }) : null;
    const json = format === 'json' ? new JsonReader() : null;
    const pushText = (text: string, last: boolean) => {
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
      if (csv) {
        csv.write(text, emitCsv);
        if (last) csv.end(emitCsv);
      } else if (json) {
        json.write(text, emitJson);
        if (last) json.end(emitJson);
      }
    };

    // Read until the header and a sample of rows are in: they decide mapping and date layouts.
    pushText(firstText, false);
    let done = false;
    while (!done && pending.length < SAMPLE_ROWS) {
      const next = source.read(chunk);
      if (next === null) {
        pushText(decoder.decode(new Uint8Array(0), true), true);
        done = true;
      } else pushText(decoder.decode(next, false), false);
    }
    const columns: string[] = format === 'csv' ? (header ?? []) : (jsonKeys ?? []);
    if (columns.length === 0)
      throw new ImportError('The file has no header row (CSV) or no objects (JSON).');
    const wanted = request.mapping ?? saved?.mapping;
    const resolved = resolveMapping(kind, columns, wanted);
    if (resolved.unknown.length > 0)
      throw new ImportError(
        `The mapping names columns the file does not have: ${resolved.unknown.join('; ')}. The file's columns: ${columns.join(', ')}.`,
      );
    if (resolved.missing.length > 0)
      throw new ImportError(
        `No column for the required field(s) ${resolved.missing.join(', ')}: map them to one of the file's columns (${columns.join(', ')}).`,
      );

    const pivotYear = now.getUTCFullYear();
    const dateFormats: Record<string, DateFormat> = {};
    for (const spec of specs) {
      if (spec.of.type !== 'date' || resolved.mapping[spec.name] === undefined) continue;
      const chosen = request.dateFormats?.[spec.name] ?? saved?.options.dateFormats?.[spec.name];
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
      dateFormats[spec.name] = detectDateFormat(samples, pivotYear) ?? 'YYYY-MM-DD';
    }
    read = {
      format,
      encoding,
      delimiter,
      quote: format === 'csv' ? quote : null,
      dateFormats,
      mapping: resolved.mapping,
      unmappedColumns: resolved.unmapped,
    };

    // Lookups for references.
    const orgUnits = new Map(
      (
        db.sqlite.prepare('SELECT code, id FROM org_units').all() as { code: string; id: number }[]
      ).map((r) => [r.code, r.id]),
    );
    const rms = new Map(
      (
        db.sqlite.prepare('SELECT code, id FROM relationship_managers').all() as {
          code: string;
          id: number;
        }[]
      ).map((r) => [r.code, r.id]),
    );
    const customerStmt = db.sqlite
      .prepare('SELECT id FROM customers WHERE external_id = ?')
      .pluck();
    const today = now.toISOString().slice(0, 10);
    const ctx: CheckContext = {
      today,
      pivotYear,
      dateFormats,
      orgUnit: (code) => orgUnits.get(code),
      rm: (code) => rms.get(code),
      customer: (id) => customerStmt.get(id) as number | undefined,
    };

    // The upsert: a row whose key this import already wrote is a duplicate (no row returned).
    const { table, key } = TABLE[kind];
    const mapped = specs.filter((s) => resolved.mapping[s.name] !== undefined);
    const at = mapped.map((s) => columns.indexOf(resolved.mapping[s.name] as string));
    const keyColumns = new Set(key.split(', '));
    const cols = [...mapped.map((s) => s.column), 'import_batch'];
    const updates = cols.filter((c) => !keyColumns.has(c)).map((c) => `${c} = excluded.${c}`);
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    const upsertSql = (rows: number) =>
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}
       ON CONFLICT (${key}) DO UPDATE SET ${updates.join(', ')} WHERE ${table}.import_batch IS NOT excluded.import_batch`;
    const upsert = db.sqlite.prepare(upsertSql(1));
    // Rows go in BATCH at a time (one statement, far fewer round trips); a batch that changes
    // fewer rows than it holds has a duplicate key in it, and is redone row by row to name it.
    const upsertBatch = db.sqlite.prepare(upsertSql(BATCH));
    const countRows = db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck();
    const keySpecs = mapped.filter((s) => keyColumns.has(s.column));

    // Every reference (org unit, RM, customer) is resolved by the checks above, so SQLite's own
    // foreign-key checks are redundant here, and with an upsert they cost more than the rest of
    // the import (1M customers: 25 s with them, 14 s without, before batching).
    foreignKeys = db.sqlite.pragma('foreign_keys', { simple: true }) === 1;
    if (foreignKeys) db.sqlite.pragma('foreign_keys = OFF');
    db.sqlite.exec('BEGIN IMMEDIATE');
    inTransaction = true;
    const before = countRows.get() as number;
    // A large load into a small table: drop the table's non-unique indexes inside the transaction
    // and build them again at the end (sorting once beats millions of b-tree inserts; 1M
    // customers: 13 s less). A rollback brings them back untouched.
    const expectedRows = estimateRows(source.size, firstText);
    const rebuild: string[] = [];
    if (expectedRows >= 50_000 && expectedRows > before) {
      const indexes = db.sqlite
        .prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
        )
        .all(table) as { name: string; sql: string }[];
      for (const index of indexes) {
        db.sqlite.exec(`DROP INDEX "${index.name}"`);
        rebuild.push(index.sql);
      }
    }
    const width = columns.length;
    let lastProgress = 0;
    const width1 = cols.length;
    const batch: Value[] = [];
    const batchCells: string[][] = [];
    const batchLines: number[] = [];
    const one: Value[] = new Array(width1).fill(null);
    const writeOne = (row: number): void => {
      for (let k = 0; k < width1; k++) one[k] = batch[row * width1 + k] as Value;
      if (upsert.run(one).changes === 1) {
        rowsWritten++;
        return;
      }
      rowsRejected++;
      const cells = batchCells[row] as string[];
      const keyText = keySpecs
        .map((s) => cells[columns.indexOf(resolved.mapping[s.name] as string)])
        .join(' ');
      report({
        line: batchLines[row] as number,
        field: (keySpecs[0] as FieldSpec).name,
        value: keyText,
        category: 'duplicate',
        reason: `${keyText} appears more than once in this file`,
      });
    };
    const flush = (): void => {
      const n = batchLines.length;
      if (n === BATCH) {
        db.sqlite.exec('SAVEPOINT strata_batch');
        if (upsertBatch.run(batch).changes === n) {
          db.sqlite.exec('RELEASE strata_batch');
          rowsWritten += n;
        } else {
          db.sqlite.exec('ROLLBACK TO strata_batch');
          db.sqlite.exec('RELEASE strata_batch');
          for (let row = 0; row < n; row++) writeOne(row);
        }
      } else for (let row = 0; row < n; row++) writeOne(row);
      batch.length = 0;
      batchCells.length = 0;
      batchLines.length = 0;
    };
    const nMapped = mapped.length;
    const checkers = mapped.map((spec) => compileField(spec, ctx));
    const emptyCounts = new Int32Array(nMapped);
    const processRecord = (r: Rec) => {
      rowsRead++;
      if (r.cells === null || r.error !== undefined) {
        rowsRejected++;
        report({
          line: r.line,
          field: '*',
          value: '',
          category: 'malformed',
          reason: (r.error ?? 'malformed').replace(/^line \d+: /, ''),
        });
        return;
      }
      const cells = r.cells;
      if (format === 'csv' && cells.length !== width) {
        rowsRejected++;
        report({
          line: r.line,
          field: '*',
          value: '',
          category: 'malformed',
          reason: `${cells.length} fields where the header has ${width}`,
        });
        return;
      }
      const start = batch.length;
      let refused = false;
      for (let k = 0; k < nMapped; k++) {
        let raw = cells[at[k] as number] as string;
        if (raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32))
          raw = raw.trim();
        if (raw === '') emptyCounts[k] = (emptyCounts[k] as number) + 1;
        const value = (checkers[k] as (typeof checkers)[number])(raw);
        if (value === REFUSED) {
          refused = true;
          const spec = mapped[k] as FieldSpec;
          const out = convertValue(spec, raw, ctx);
          const issue: FieldIssue =
            'value' in out
              ? { field: spec.name, category: 'invalid', reason: 'refused' } // cannot happen: the two agree
              : out;
          report({ ...issue, line: r.line, value: maskValue(spec, raw) });
        } else batch.push(value);
      }
      if (refused) {
        rowsRejected++;
        batch.length = start;
        return;
      }
      batch.push(runId);
      batchCells.push(cells);
      batchLines.push(r.line);
      if (batchLines.length === BATCH) flush();
      if (rowsRead - lastProgress >= 16384) {
        lastProgress = rowsRead;
        request.onProgress?.({
          runId,
          bytesRead: source.bytesRead,
          totalBytes: source.size,
          rowsRead,
          rowsRejected,
        });
      }
    };
    for (const r of pending) processRecord(r);
    pending.length = 0;
    while (!done) {
      const next = source.read(chunk);
      if (next === null) {
        pushText(decoder.decode(new Uint8Array(0), true), true);
        done = true;
      } else pushText(decoder.decode(next, false), false);
      for (const r of pending) processRecord(r);
      pending.length = 0;
    }
    flush();
    for (let k = 0; k < nMapped; k++)
      if (!(mapped[k] as FieldSpec).required && (emptyCounts[k] as number) > 0)
        empty[(mapped[k] as FieldSpec).name] = emptyCounts[k] as number;
    for (const sql of rebuild) db.sqlite.exec(sql);
    request.onProgress?.({
      runId,
      bytesRead: source.bytesRead,
      totalBytes: source.size,
      rowsRead,
      rowsRejected,
    });
    inserted = (countRows.get() as number) - before;

    if (rowsRejected > 0 && (request.onError ?? 'reject') === 'reject') {
      failure = `${rowsRejected} of ${rowsRead} rows were refused, so nothing was imported (see the error file, or import with onError 'skip' to keep the good rows).`;
      db.sqlite.exec('ROLLBACK');
      inTransaction = false;
    } else {
      if (
        (kind === 'customers' || kind === 'monthly_metrics' || kind === 'events') &&
        rowsWritten > 0
      )
        bumpDataVersion(db);
      if (request.saveMapping && request.source)
        saveMapping(
          db,
          {
            source: request.source,
            kind,
            mapping: resolved.mapping,
            options: {
              format,
              encoding,
              ...(delimiter !== null && { delimiter }),
              quote,
              dateFormats,
            },
            updatedBy: request.actor,
          },
          now,
        );
      appendAudit(
        db,
        {
          actor: request.actor,
          action: 'import',
          target: `import:${runId}`,
          detail: {
            kind,
            file: source.name,
            source: request.source ?? null,
            rowsRead,
            rowsWritten,
            inserted,
            rowsRejected,
          },
          origin: request.origin ?? null,
        },
        now,
      );
      db.sqlite.exec('COMMIT');
      inTransaction = false;
    }
  } catch (error) {
    if (inTransaction) db.sqlite.exec('ROLLBACK');
    inTransaction = false;
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      failure =
        'Another import or a refresh is writing to the database; nothing was imported. Try again when it has finished.';
    } else if (!(error instanceof ImportError || error instanceof EncodingError)) {
      // an unexpected failure: still record the run as failed, then let the caller see it
      failure = `The import stopped: ${(error as Error).message}`;
    } else failure = error.message;
  } finally {
    if (foreignKeys) db.sqlite.pragma('foreign_keys = ON');
    source.close();
    errors?.close();
  }

  const status = failure === null ? 'succeeded' : 'failed';
  const result: ImportReport = {
    runId,
    kind,
    status,
    error: failure,
    rowsRead,
    rowsWritten: status === 'succeeded' ? rowsWritten : 0,
    inserted: status === 'succeeded' ? inserted : 0,
    updated: status === 'succeeded' ? rowsWritten - inserted : 0,
    rowsRejected,
    issues: issuesByCategory,
    fields: issuesByField,
    examples,
    empty,
    read,
    errorFile: request.errorFile ?? null,
    ms: Math.round(performance.now() - started),
  };
  db.sqlite.transaction(() => {
    db.sqlite
      .prepare(
        'UPDATE import_runs SET status = ?, finished_at = ?, options = ?, report = ?, rows_read = ?, rows_written = ?, rows_rejected = ?, error_file = ?, error = ? WHERE id = ?',
      )
      .run(
        status,
        new Date(now.getTime() + result.ms).toISOString(),
        JSON.stringify(read),
        JSON.stringify(result),
        rowsRead,
        result.rowsWritten,
        rowsRejected,
        request.errorFile ?? null,
        failure,
        runId,
      );
    if (status === 'failed')
      appendAudit(
        db,
        {
          actor: request.actor,
          action: 'import.failed',
          target: `import:${runId}`,
          detail: { kind, file: source.name, error: failure },
          origin: request.origin ?? null,
        },
        now,
      );
  })();
  return result;
}

/** Marks imports left 'running' by a process that died as failed (their transaction was rolled back). */
export function failInterruptedImports(db: StrataDb, now = new Date()): number {
  return db.sqlite
    .prepare(
      "UPDATE import_runs SET status = 'failed', finished_at = ?, error = 'interrupted: the process stopped before the import finished; nothing of it was written' WHERE status = 'running'",
    )
    .run(now.toISOString()).changes;
}

/** Recent imports, newest first. */
export function listImportRuns(
  db: StrataDb,
  limit = 50,
): {
  id: number;
  kind: ImportKind;
  source: string | null;
  fileName: string;
  actor: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  error: string | null;
}[] {
  return db.sqlite
    .prepare(
      'SELECT id, kind, source, file_name AS fileName, actor, status, started_at AS startedAt, finished_at AS finishedAt, rows_read AS rowsRead, rows_written AS rowsWritten, rows_rejected AS rowsRejected, error FROM import_runs ORDER BY id DESC LIMIT ?',
    )
    .all(limit) as ReturnType<typeof listImportRuns>;
}

/** One import's row, or undefined. */
export function getImportRun(
  db: StrataDb,
  id: number,
): ReturnType<typeof listImportRuns>[number] | undefined {
  return db.sqlite
    .prepare(
      'SELECT id, kind, source, file_name AS fileName, actor, status, started_at AS startedAt, finished_at AS finishedAt, rows_read AS rowsRead, rows_written AS rowsWritten, rows_rejected AS rowsRejected, error FROM import_runs WHERE id = ?',
    )
    .get(id) as ReturnType<typeof listImportRuns>[number] | undefined;
}

/** One import's stored report. */
export function getImportReport(db: StrataDb, id: number): ImportReport | undefined {
  const row = db.sqlite.prepare('SELECT report FROM import_runs WHERE id = ?').pluck().get(id) as
    string | null | undefined;
  return row ? (JSON.parse(row) as ImportReport) : undefined;
}
