// What an import is asked to do, and what it reports.
import type { OutcomeLinks } from '../outcomes.js';
import type { ImportKind, IssueCategory } from './catalogue.js';
import type { DateFormat } from './dates.js';
import type { ColumnMapping, ImportInput, RowIssue } from './parse.js';
import type { Encoding } from './text.js';

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
  readonly input: ImportInput;
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
  /**
   * Read and check the file on a second thread while this one writes (`auto`: for files of
   * 8 MB and more, once the package is built). The result is the same either way.
   */
  readonly threads?: 'auto' | 1 | 2;
}

/** Progress of a running import. */
export interface ImportProgress {
  readonly runId: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly rowsRead: number;
  readonly rowsRejected: number;
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
  /** Campaign outcomes recorded on the lists their codes name (outcome imports only). */
  readonly links: OutcomeLinks | null;
  readonly ms: number;
}
