import { existsSync } from 'node:fs';
import { appendAudit } from '../audit.js';
import { bumpDataVersion } from '../metric-blocks.js';
import { linkCampaignOutcomes, type OutcomeLinks } from '../outcomes.js';
import { FULL_MESSAGE, explainBusy, isBusy, isFull } from '../busy.js';
import type { StrataDb } from '../types.js';
import { ErrorFile } from './error-file.js';
import { IMPORT_FIELDS, type FieldSpec, type ImportKind, type IssueCategory } from './catalogue.js';
import type { Value } from './fields.js';
import { recordImportRun } from './history.js';
import { ImportError, Source, parseFile, type ParseSetup, type RowIssue } from './parse.js';
import { getSavedMapping, saveMapping } from './mappings.js';
import type { ImportReport, ImportRequest, ReadOptions } from './request.js';
import { EncodingError } from './text.js';
import { parseWorkerFile, workerEvents } from './threads.js';
import { createRowWriter, dropSecondaryIndexes, type RowWriter } from './writer.js';

export { ImportError, resolveMapping } from './parse.js';
export type { ColumnMapping, RowIssue } from './parse.js';
export type { ImportProgress, ImportReport, ImportRequest, ReadOptions } from './request.js';

const TABLE: Readonly<Record<ImportKind, { table: string; key: string }>> = {
  relationship_managers: { table: 'relationship_managers', key: 'code' },
  consents: { table: 'customer_consents', key: 'customer_id, channel' },
  customers: { table: 'customers', key: 'external_id' },
  monthly_metrics: { table: 'monthly_metrics', key: 'customer_id, period' },
  events: { table: 'events', key: 'external_id' },
  outcomes: { table: 'campaign_outcomes', key: 'external_id' },
};

const EXAMPLES = 20;

/**
 * Imports one file of relationship managers, customers, monthly metrics, events or campaign
 * outcomes.
 *
 * The file is read in chunks (bounded memory whatever its size), decoded strictly in its
 * encoding, cut into records (CSV or JSON), mapped to fields, and every value of every row is
 * checked (type, layout, range, references to org units, RMs and customers, duplicates in the
 * file); reading and checking run on a second thread for large files. Rows are upserted by their
 * key (customer number, customer + month, event or outcome id) inside one transaction: with
 * `onError: 'reject'` a single bad row, or any file-level problem, rolls everything back, so a
 * failed import writes nothing; re-importing a file changes nothing. The run, its options and
 * its data-quality report are kept in `import_runs`; the import (or its failure) is in the audit
 * log.
 *
 * Run it on a connection nothing else writes through meanwhile (the CLI's, or a worker's): the
 * transaction spans the whole file.
 */
export function importFile(db: StrataDb, request: ImportRequest): ImportReport {
  const now = request.now ?? new Date();
  const started = performance.now();
  const kind = request.kind;
  const specs = IMPORT_FIELDS[kind];
  const name =
    'path' in request.input
      ? (request.input.name ?? request.input.path.split(/[\\/]/).pop() ?? 'file')
      : request.input.name;
  let runId: number;
  try {
    runId = Number(
      db.sqlite
        .prepare(
          "INSERT INTO import_runs (kind, source, file_name, actor, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)",
        )
        .run(kind, request.source ?? null, name, request.actor, now.toISOString()).lastInsertRowid,
    );
  } catch (error) {
    throw explainBusy(error); // another writer holds the database: nothing was recorded
  }
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
  let bytesRead = 0;
  let totalBytes = 0;
  let read: ImportReport['read'] = null;
  let failure: string | null = null;
  let links: OutcomeLinks | null = null;
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
    const pick = <K extends keyof ReadOptions>(key: K) =>
      request[key] ?? (saved?.options as ReadOptions | undefined)?.[key];
    const setup: ParseSetup = {
      kind,
      input: request.input,
      ...(pick('format') !== undefined && { format: pick('format') }),
      ...(pick('encoding') !== undefined && { encoding: pick('encoding') }),
      ...(pick('delimiter') !== undefined && { delimiter: pick('delimiter') }),
      ...(pick('quote') !== undefined && { quote: pick('quote') }),
      ...(pick('dateFormats') !== undefined && { dateFormats: pick('dateFormats') }),
      ...((request.mapping ?? saved?.mapping) !== undefined && {
        mapping: request.mapping ?? saved?.mapping,
      }),
      today: now.toISOString().slice(0, 10),
      pivotYear: now.getUTCFullYear(),
      orgUnits: (
        db.sqlite.prepare('SELECT code, id FROM org_units').all() as { code: string; id: number }[]
      ).map((r) => [r.code, r.id] as const),
      rms: (
        db.sqlite.prepare('SELECT code, id FROM relationship_managers').all() as {
          code: string;
          id: number;
        }[]
      ).map((r) => [r.code, r.id] as const),
      ...(request.chunkSize !== undefined && { chunkSize: request.chunkSize }),
    };
    const size = 'path' in request.input ? new Source(request.input) : null;
    const fileSize = size?.size ?? 0;
    size?.close();
    const threads =
      request.threads === 2 ||
      (request.threads !== 1 && fileSize >= 8 << 20 && existsSync(parseWorkerFile));
    const events = threads ? workerEvents(setup) : parseFile(setup);

    // Set up once the header is read.
    let fields: FieldSpec[] = [];
    let width = 0;
    let customerAt: number[] = [];
    type Statement = ReturnType<StrataDb['sqlite']['prepare']>;
    let writer: RowWriter | null = null;
    let countRows: Statement | null = null;
    let rebuild: string[] = [];
    let before = 0;
    const customerStmt = db.sqlite
      .prepare('SELECT id FROM customers WHERE external_id = ?')
      .pluck();
    const emptyTotals: number[] = [];
    /** Rows naming a customer not known yet (one further down the file, perhaps). */
    let held: { line: number; values: Value[]; unresolved: number[] }[] = [];

    let lastProgress = 0;
    for (const event of events) {
      if (event.type === 'header') {
        fields = event.fields.map((f) => specs.find((s) => s.name === f) as FieldSpec);
        width = fields.length;
        for (let k = 0; k < width; k++) emptyTotals[k] = 0;
        customerAt = fields.flatMap((f, k) => (f.of.type === 'customer' ? [k] : []));
        const { table, key } = TABLE[kind];
        writer = createRowWriter(db, {
          table,
          key,
          fields,
          runId,
          onDuplicate: (line, field, keyText) => {
            rowsRejected++;
            report({
              line,
              field,
              value: keyText,
              category: 'duplicate',
              reason: `${keyText} appears more than once in this file`,
              code: 'duplicate',
              params: { value: keyText },
            });
          },
        });
        countRows = db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck();
        read = {
          format: event.format,
          encoding: event.encoding,
          delimiter: event.delimiter,
          quote: event.quote,
          dateFormats: event.dateFormats,
          mapping: event.mapping,
          unmappedColumns: event.unmapped,
        };
        totalBytes = event.totalBytes;
        // Every reference (org unit, RM, customer) is resolved by the checks, so SQLite's own
        // foreign-key checks are redundant here, and with an upsert they cost more than the
        // rest of the import (1M customers: 25 s with them, 14 s without, before batching).
        foreignKeys = db.sqlite.pragma('foreign_keys', { simple: true }) === 1;
        if (foreignKeys) db.sqlite.pragma('foreign_keys = OFF');
        db.sqlite.exec('BEGIN IMMEDIATE');
        inTransaction = true;
        before = countRows.get([]) as number;
        // a large load into a small table: its non-unique indexes are built again at the end
        if (event.expectedRows >= 50_000 && event.expectedRows > before)
          rebuild = dropSecondaryIndexes(db, table);
        continue;
      }
      // a batch of checked rows
      rowsRead += event.rowsRead;
      rowsRejected += event.rowsRefused;
      bytesRead = event.bytesRead;
      for (const issue of event.issues) report(issue);
      for (let k = 0; k < width; k++)
        emptyTotals[k] = (emptyTotals[k] as number) + (event.empty[k] as number);
      const values = event.values;
      const rows = event.lines.length;
      const rowWriter = writer as RowWriter;
      rowWriter.sample(values, rows);
      for (let row = 0; row < rows; row++) {
        const base = row * width;
        let unresolved: number[] | null = null;
        for (const k of customerAt) {
          const raw = values[base + k];
          if (raw === null) continue;
          let id = customerStmt.get(raw) as number | undefined;
          if (id === undefined && rowWriter.pending) {
            // it may be a customer of this file still waiting in the batch: write, look again
            rowWriter.flush();
            id = customerStmt.get(raw) as number | undefined;
          }
          if (id === undefined) (unresolved ??= []).push(k);
          else values[base + k] = id;
        }
        if (unresolved) {
          // Not known yet: in a customers file it may be a customer further down (an employer,
          // a chain's anchor). Held until the end of the file, then resolved or refused.
          held.push({
            line: event.lines[row] as number,
            values: values.slice(base, base + width),
            unresolved,
          });
          continue;
        }
        rowWriter.add(values, base, event.lines[row] as number);
      }
      if (rowsRead - lastProgress >= 16384) {
        lastProgress = rowsRead;
        request.onProgress?.({ runId, bytesRead, totalBytes, rowsRead, rowsRejected });
      }
    }
    if (!inTransaction)
      throw new ImportError('The file has no header row (CSV) or no objects (JSON).');
    const rowWriter = writer as RowWriter;
    rowWriter.flush();
    // The held rows: write those whose customers now exist, again while that makes progress
    // (a chain of rows each naming one further down); what is left names no customer at all.
    for (let progress = true; held.length > 0 && progress;) {
      progress = false;
      const still: typeof held = [];
      for (const h of held) {
        h.unresolved = h.unresolved.filter((k) => {
          const id = customerStmt.get(h.values[k]) as number | undefined;
          if (id === undefined) return true;
          h.values[k] = id;
          return false;
        });
        if (h.unresolved.length > 0) {
          still.push(h);
          continue;
        }
        progress = true;
        rowWriter.add(h.values, 0, h.line);
      }
      rowWriter.flush();
      held = still;
    }
    rowsWritten = rowWriter.written;
    for (const h of held) {
      for (const k of h.unresolved) {
        const raw = String(h.values[k]);
        report({
          line: h.line,
          field: (fields[k] as FieldSpec).name,
          category: 'orphan',
          reason: `no customer ${raw} (import the customer first)`,
          code: 'no_customer',
          params: { value: raw },
          value: raw,
        });
      }
      rowsRejected++;
    }
    for (let k = 0; k < width; k++)
      if (!(fields[k] as FieldSpec).required && (emptyTotals[k] as number) > 0)
        empty[(fields[k] as FieldSpec).name] = emptyTotals[k] as number;
    for (const sql of rebuild) db.sqlite.exec(sql);
    request.onProgress?.({ runId, bytesRead, totalBytes, rowsRead, rowsRejected });
    inserted = ((countRows as Statement).get([]) as number) - before;

    // the error file is complete before anything is decided: if it cannot be written, nothing is
    errors?.close();
    errors = null;
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
      if (kind === 'outcomes' && rowsWritten > 0) links = linkCampaignOutcomes(db, runId, now);
      if (request.saveMapping && request.source && read)
        saveMapping(
          db,
          {
            source: request.source,
            kind,
            mapping: read.mapping,
            options: {
              format: read.format,
              encoding: read.encoding,
              ...(read.delimiter !== null && { delimiter: read.delimiter }),
              ...(read.quote !== null && { quote: read.quote }),
              dateFormats: read.dateFormats,
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
            file: name,
            source: request.source ?? null,
            rowsRead,
            rowsWritten,
            inserted,
            rowsRejected,
            ...(links && { linkedOutcomes: links.linked, lists: links.lists }),
          },
          origin: request.origin ?? null,
        },
        now,
      );
      db.sqlite.exec('COMMIT');
      inTransaction = false;
    }
  } catch (error) {
    // SQLite may have rolled back already (a full disk, an I/O error)
    if (db.sqlite.inTransaction) db.sqlite.exec('ROLLBACK');
    inTransaction = false;
    if (isBusy(error)) {
      failure =
        'Another import or a refresh is writing to the database; nothing was imported. Try again when it has finished.';
    } else if (isFull(error)) {
      failure = FULL_MESSAGE;
    } else if (!(error instanceof ImportError || error instanceof EncodingError)) {
      // an unexpected failure: still record the run as failed
      failure = `The import stopped: ${(error as Error).message}`;
    } else failure = error.message;
  } finally {
    if (foreignKeys) db.sqlite.pragma('foreign_keys = ON');
    try {
      errors?.close(); // only still open when the import failed on its way
    } catch {
      // the import has failed already; its report says why
    }
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
    links: status === 'succeeded' ? links : null,
    ms: Math.round(performance.now() - started),
  };
  recordImportRun(db, result, { name, actor: request.actor, origin: request.origin ?? null, now });
  return result;
}
