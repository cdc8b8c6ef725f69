// `strata import KIND FILE`: the options checked before the database is opened, then the import
// with a progress bar and the report.
import { rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { IMPORT_KINDS, type ImportKind } from '../import/catalogue.js';
import { DATE_FORMATS, type DateFormat } from '../import/dates.js';
import { importFile } from '../import/run.js';
import { ENCODINGS, type Encoding } from '../import/text.js';
import type { StrataDb } from '../types.js';
import { bar, fail } from './output.js';

/** The command line's options an import reads. */
export interface ImportOptions {
  readonly source?: string;
  readonly 'save-mapping'?: boolean;
  readonly map?: string[];
  readonly encoding?: string;
  readonly delimiter?: string;
  readonly quote?: string;
  readonly 'date-format'?: string[];
  readonly 'skip-errors'?: boolean;
  readonly errors?: string;
  readonly as?: string;
}

/** Refuses (exit 2) a kind, file or option an import cannot use, before anything is opened. */
export function checkImportArgs(
  values: ImportOptions,
  sub: string | undefined,
  file: string | undefined,
): void {
  if (!sub || !file || !(IMPORT_KINDS as readonly string[]).includes(sub))
    fail(`Usage: strata import KIND FILE (KIND: ${IMPORT_KINDS.join(', ')})`);
  if (values.encoding !== undefined && !(ENCODINGS as readonly string[]).includes(values.encoding))
    fail(`--encoding must be one of ${ENCODINGS.join(', ')}`);
  if (values.delimiter !== undefined && [...values.delimiter.replace('\\t', '\t')].length !== 1)
    fail('--delimiter must be one character (use \\t for a tab)');
  for (const d of values['date-format'] ?? []) {
    const layout = d.split('=')[1];
    if (!layout || !(DATE_FORMATS as readonly string[]).includes(layout))
      fail(`--date-format ${d}: write FIELD=LAYOUT, LAYOUT one of ${DATE_FORMATS.join(', ')}`);
  }
  for (const m of values.map ?? []) if (!m.includes('=')) fail(`--map ${m}: write FIELD=COLUMN`);
}

/** Imports `file` as `kind`, printing progress, the report and where the refused rows are. */
export function runImport(
  db: StrataDb,
  values: ImportOptions,
  kind: ImportKind,
  file: string,
): void {
  const pairs = (list: string[] | undefined) =>
    Object.fromEntries(
      (list ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
    );
  const errorFile = values.errors ?? `${file}.errors.csv`;
  const report = importFile(db, {
    kind,
    input: { path: file },
    ...(values.source !== undefined && { source: values.source }),
    saveMapping: values['save-mapping'] ?? false,
    ...(values.map !== undefined && { mapping: pairs(values.map) }),
    ...(values.encoding !== undefined && { encoding: values.encoding as Encoding }),
    ...(values.delimiter !== undefined && { delimiter: values.delimiter.replace('\\t', '\t') }),
    ...(values.quote !== undefined && { quote: values.quote }),
    ...(values['date-format'] !== undefined && {
      dateFormats: pairs(values['date-format']) as Record<string, DateFormat>,
    }),
    onError: values['skip-errors'] ? 'skip' : 'reject',
    errorFile,
    actor: values.as ?? `cli:${userInfo().username}`,
    origin: 'cli',
    onProgress: (p) => bar(`import ${kind}`, p.bytesRead, p.totalBytes),
  });
  const issues = Object.entries(report.issues)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log(
    `import ${report.runId} ${report.status}: ${report.rowsRead} rows read, ${report.inserted} inserted, ${report.updated} updated, ${report.rowsRejected} refused${issues ? ` (${issues})` : ''} in ${(report.ms / 1000).toFixed(1)} s`,
  );
  if (report.read)
    console.log(
      `read as ${report.read.format}, ${report.read.encoding}${report.read.delimiter ? `, delimiter ${JSON.stringify(report.read.delimiter)}` : ''}; unmapped columns: ${report.read.unmappedColumns.join(', ') || 'none'}`,
    );
  if (report.links)
    console.log(
      `outcomes on lists: ${report.links.linked} recorded on ${report.links.lists} list${report.links.lists === 1 ? '' : 's'}, ${report.links.unmatched} kept as campaign outcomes only${report.links.unknownCodes.length > 0 ? ` (codes naming no list: ${report.links.unknownCodes.join(', ')})` : ''}`,
    );
  for (const e of report.examples.slice(0, 10))
    console.log(`  line ${e.line}, ${e.field}: ${e.reason}${e.value ? ` (${e.value})` : ''}`);
  if (report.rowsRejected > 0) console.log(`every refused row: ${errorFile}`);
  if (report.error) {
    console.error(report.error);
    process.exitCode = 1;
  } else if (report.rowsRejected === 0) rmSync(errorFile, { force: true });
}
