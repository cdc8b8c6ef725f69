// The checking of a file's records, row by row: each mapped cell trimmed, counted when empty and
// checked by its field's compiled checker; a refused value is explained (`convertValue`) with
// the line and the value masked. Good rows gather into batches for the writer.
import { maskIdNumber, maskName, maskPhone } from '@strata/core';
import type { FieldSpec, IssueCategory } from './catalogue.js';
import {
  REFUSED,
  REQUIRED,
  compileField,
  convertValue,
  type CheckContext,
  type FieldIssue,
  type ReasonCode,
  type Value,
} from './fields.js';
import type { ParseBatch, RowIssue } from './parse.js';

/** A refused value as shown in reports and error files: personal data masked, cut to 100 characters. */
export function maskValue(spec: FieldSpec | undefined, value: string): string {
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

/** A record as read: its cells (null when malformed), the line it starts on, what is wrong. */
export interface SourceRecord {
  readonly cells: string[] | null;
  readonly line: number;
  readonly error?: string;
}

type Checker = (raw: string) => Value | typeof REFUSED;

/** Checks records against the mapped fields and hands out what it gathered as batches. */
export class RowChecker {
  private values: Value[] = [];
  private lines: number[] = [];
  private issues: RowIssue[] = [];
  private refused = 0;
  private empty: number[];
  private readonly checkers: Checker[];
  /** Records taken since the last batch. */
  read = 0;

  /**
   * @param fields the mapped fields, in the order of each row's values
   * @param at the column of each field in a record
   * @param width the columns a CSV record must have (null for JSON: any)
   */
  constructor(
    private readonly fields: readonly FieldSpec[],
    private readonly at: readonly number[],
    private readonly width: number | null,
    private readonly ctx: CheckContext,
  ) {
    // references to customers pass through as read (the writer resolves them)
    this.checkers = fields.map((spec) =>
      spec.of.type === 'customer'
        ? (v: string): Value | typeof REFUSED => (v === '' ? (spec.required ? REFUSED : null) : v)
        : compileField(spec, ctx),
    );
    this.empty = new Array<number>(fields.length).fill(0);
  }

  /** True when something was taken since the last batch. */
  get hasAny(): boolean {
    return this.read > 0 || this.issues.length > 0;
  }

  private issue(
    line: number,
    category: IssueCategory,
    reason: string,
    code: ReasonCode,
    params: Record<string, string | number>,
  ): void {
    this.issues.push({ line, field: '*', category, reason, value: '', code, params });
  }

  /** Checks one record: its values join the batch, or its issues do. */
  take(r: SourceRecord): void {
    this.read++;
    if (r.cells === null || r.error !== undefined) {
      this.refused++;
      const detail = (r.error ?? 'malformed').replace(/^line \d+: /, '');
      this.issue(r.line, 'malformed', detail, 'malformed', { detail });
      return;
    }
    const cells = r.cells;
    if (this.width !== null && cells.length !== this.width) {
      this.refused++;
      this.issue(
        r.line,
        'malformed',
        `${cells.length} fields where the header has ${this.width}`,
        'field_count',
        { count: cells.length, width: this.width },
      );
      return;
    }
    const { values, at, checkers, empty } = this;
    const n = checkers.length;
    const start = values.length;
    let bad = false;
    for (let k = 0; k < n; k++) {
      let raw = cells[at[k] as number] as string;
      if (raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32))
        raw = raw.trim();
      if (raw === '') empty[k] = (empty[k] as number) + 1;
      const value = (checkers[k] as Checker)(raw);
      if (value === REFUSED) {
        bad = true;
        const spec = this.fields[k] as FieldSpec;
        const out = convertValue(spec, raw, this.ctx);
        const why: FieldIssue = 'value' in out ? REQUIRED(spec.name) : out;
        this.issues.push({ ...why, line: r.line, value: maskValue(spec, raw) });
      } else values.push(value);
    }
    if (bad) {
      this.refused++;
      values.length = start;
      return;
    }
    this.lines.push(r.line);
  }

  /** What was gathered since the last batch, as a batch; starts the next. */
  batch(bytesRead: number): ParseBatch {
    const out: ParseBatch = {
      type: 'batch',
      values: this.values,
      lines: this.lines,
      issues: this.issues,
      rowsRead: this.read,
      rowsRefused: this.refused,
      empty: this.empty,
      bytesRead,
    };
    this.values = [];
    this.lines = [];
    this.issues = [];
    this.read = 0;
    this.refused = 0;
    this.empty = new Array<number>(this.fields.length).fill(0);
    return out;
  }
}
