/** How a delimited text file is cut into records. */
export interface CsvDialect {
  /** One character: `,` `;` `\t` `|`. */
  readonly delimiter: string;
  /** One character, usually `"`; a doubled quote inside a quoted field is one quote. */
  readonly quote: string;
}

/** A record of a delimited file: its fields and the line it starts on (1-based). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  /** Set when the record is malformed (a stray quote, a field over the size limit). */
  readonly error?: string;
}

/** The longest field accepted (characters); a longer one is a row error, not a memory blow-up. */
export const MAX_FIELD_LENGTH = 65_536;

/** The most fields a record may have; more is a row error (a line of delimiters cannot exhaust memory). */
export const MAX_FIELDS = 4_096;

/**
 * The longest record accepted (characters, all its fields together; as a JSON object's limit):
 * a longer one is a row error and its further fields are not kept, so one record holds at most
 * about 1M characters in memory, whatever its fields.
 */
export const MAX_RECORD_LENGTH = 1 << 20;

/**
 * A streaming RFC 4180 reader: feed it text in chunks of any size (split anywhere, even inside
 * a quoted field or between CR and LF) and it emits each complete record. Handles quoted fields
 * with delimiters, quotes and line breaks inside, CRLF, LF or CR line ends, and a last line
 * without a line end. Blank lines are skipped.
 *
 * Malformed input never throws: a quote inside an unquoted field, text after a closing quote or
 * a field longer than {@link MAX_FIELD_LENGTH} marks that record with `error` and reading goes on
 * at the next line; a quoted field still open at the end of the input is reported by `end()`.
 */
export class CsvReader {
  private readonly delim: number;
  private readonly quoteCode: number;
  private readonly maxField: number;
  private fields: string[] = [];
  /** Text of the current field carried across chunks (only when a field spans a chunk). */
  private carry = '';
  private inQuotes = false;
  /** The current quoted field has just seen a quote: it is a closing quote or half of `""`. */
  private quotePending = false;
  /** Inside the current quoted field, after its closing quote. */
  private afterQuote = false;
  private fieldStarted = false;
  private error: string | undefined;
  private skipCr = false;
  private line = 1;
  private recordLine = 1;
  /** Characters in the current record's fields so far. */
  private recordLength = 0;

  constructor(dialect: CsvDialect, maxFieldLength = MAX_FIELD_LENGTH) {
    if (dialect.delimiter.length !== 1 || dialect.quote.length !== 1)
      throw new Error('The delimiter and the quote must be one character each.');
    if (dialect.delimiter === dialect.quote)
      throw new Error('The delimiter and the quote must differ.');
    this.delim = dialect.delimiter.charCodeAt(0);
    this.quoteCode = dialect.quote.charCodeAt(0);
    this.maxField = maxFieldLength;
  }

  /** Reads a chunk; calls `emit` for every record it completes. */
  write(text: string, emit: (record: CsvRecord) => void): void {
    const n = text.length;
    const delim = this.delim;
    const quote = this.quoteCode;
    let i = 0;
    if (n === 0) return;
    if (this.skipCr) {
      this.skipCr = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    if (this.quotePending) {
      // a quote ended the last chunk: half of "" or the closing quote
      this.quotePending = false;
      if (text.charCodeAt(0) === quote) {
        this.append(String.fromCharCode(quote), 0, 1);
        i = 1;
      } else {
        this.inQuotes = false;
        this.afterQuote = true;
      }
    }
    let start = i; // start of the unconsumed part of the current field in `text`
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (c === quote) {
          if (i + 1 === n) {
            this.quotePending = true;
            break;
          }
          if (text.charCodeAt(i + 1) === quote) {
            // "" → one quote: keep the first, drop the second
            this.append(text, start, i + 1);
            i += 2;
            start = i;
            continue;
          }
          // the closing quote
          this.append(text, start, i);
          i++;
          start = i;
          this.inQuotes = false;
          this.afterQuote = true;
          continue;
        }
        if (c === 13) {
          this.line++;
          this.lastCr = true;
        } else {
          if (c === 10 && !this.lastCr) this.line++;
          this.lastCr = false;
        }
        i++;
        continue;
      }
      if (c === delim) {
        this.endField(text, start, i);
        i++;
        start = i;
        continue;
      }
      if (c === 10 || c === 13) {
        this.endField(text, start, i);
        this.endRecord(emit);
        this.line++;
        i++;
        if (c === 13) {
          if (i < n) {
            if (text.charCodeAt(i) === 10) i++;
          } else this.skipCr = true;
        }
        this.recordLine = this.line;
        start = i;
        continue;
      }
      if (c === quote) {
        if (!this.fieldStarted && this.carry === '' && i === start) {
          this.inQuotes = true;
          this.fieldStarted = true;
          this.lastCr = false;
          i++;
          start = i;
          continue;
        }
        this.error ??= `line ${this.recordLine}: a quote (${String.fromCharCode(quote)}) inside an unquoted field; quote the whole field and double the quotes inside it`;
      } else if (this.afterQuote) {
        this.error ??= `line ${this.recordLine}: text after the closing quote of a field`;
      }
      this.fieldStarted = true;
      i++;
    }
    // keep the unfinished field's text for the next chunk (a pending quote is judged then)
    const to = this.quotePending ? n - 1 : n;
    if (start < to) this.append(text, start, to);
  }

  private lastCr = false;

  /** Ends the input: emits the last record, and reports a quoted field left open. */
  end(emit: (record: CsvRecord) => void): void {
    if (this.inQuotes && !this.quotePending) {
      this.error ??= `line ${this.recordLine}: a quoted field is never closed (missing ${String.fromCharCode(this.quoteCode)})`;
      this.inQuotes = false;
    }
    this.inQuotes = false;
    this.quotePending = false;
    if (this.fieldStarted || this.carry !== '' || this.fields.length > 0) {
      this.endField('', 0, 0);
      this.endRecord(emit);
    }
  }

  private append(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.carry += text.slice(from, to);
    this.fieldStarted = true;
    if (this.carry.length > this.maxField) {
      this.error ??= `line ${this.recordLine}: a field is longer than ${this.maxField} characters`;
      this.carry = this.carry.slice(0, 64);
    }
  }

  private endField(text: string, from: number, to: number): void {
    let value: string;
    if (this.carry === '') value = to > from ? text.slice(from, to) : '';
    else {
      value = this.carry + (to > from ? text.slice(from, to) : '');
      this.carry = '';
    }
    if (value.length > this.maxField) {
      this.error ??= `line ${this.recordLine}: a field is longer than ${this.maxField} characters`;
      value = value.slice(0, 64);
    }
    this.recordLength += value.length;
    if (this.recordLength > MAX_RECORD_LENGTH) {
      this.error ??= `line ${this.recordLine}: a record longer than ${MAX_RECORD_LENGTH} characters`;
      value = '';
    }
    if (this.fields.length < MAX_FIELDS) this.fields.push(value);
    else this.error ??= `line ${this.recordLine}: more than ${MAX_FIELDS} fields`;
    this.fieldStarted = false;
    this.afterQuote = false;
  }

  private endRecord(emit: (record: CsvRecord) => void): void {
    const fields = this.fields;
    this.fields = [];
    this.recordLength = 0;
    const error = this.error;
    this.error = undefined;
    // a blank line is one empty field: skip it
    if (fields.length === 1 && fields[0] === '' && error === undefined) return;
    emit(
      error === undefined
        ? { fields, line: this.recordLine }
        : { fields, line: this.recordLine, error },
    );
  }
}

/** Reads a whole text at once (tests, previews). */
export function readCsv(text: string, dialect: CsvDialect): CsvRecord[] {
  const out: CsvRecord[] = [];
  const reader = new CsvReader(dialect);
  reader.write(text, (r) => out.push(r));
  reader.end((r) => out.push(r));
  return out;
}

/** Writes one CSV field, quoted when it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Guesses the delimiter from the first line: whichever of `,` `;` tab `|` occurs most often
 * outside quotes (a comma when none does).
 */
export function detectDelimiter(firstLine: string, quote = '"'): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let inQuotes = false;
  for (const ch of firstLine) {
    if (ch === quote) inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const [d, k] of counts)
    if (k > most) {
      best = d;
      most = k;
    }
  return best;
}
