/** An object read from a JSON import, with the line it starts on. */
export interface JsonRecord {
  readonly value?: Record<string, unknown>;
  readonly line: number;
  readonly error?: string;
}

/** The largest object accepted (characters). */
export const MAX_OBJECT_LENGTH = 1 << 20;

/**
 * A streaming reader of JSON records: either one array of objects (`[{…},{…}]`) or one object
 * per line (NDJSON). It finds each top-level object's extent (minding strings and escapes), so
 * only one object is held at a time, then parses it with JSON.parse. A bad object is reported
 * with its line and reading goes on after it.
 */
export class JsonReader {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private buffer = '';
  private line = 1;
  private objectLine = 1;
  private tooLong = false;
  private junkReported = false;
  private arrayOpen = false;

  write(text: string, emit: (r: JsonRecord) => void): void {
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.depth === 0) {
        if (c === 123) {
          this.depth = 1;
          start = i;
          this.objectLine = this.line;
          this.junkReported = false;
        } else if (c === 91 && !this.arrayOpen) this.arrayOpen = true;
        else if (c === 93 && this.arrayOpen) this.arrayOpen = false;
        else if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 0xfeff)) {
          if (!this.junkReported) {
            emit({ line: this.line, error: `line ${this.line}: text outside a JSON object` });
            this.junkReported = true;
          }
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === 0) {
          this.take(text, start, i + 1);
          this.finish(emit);
          start = -1;
        }
      }
    }
    if (this.depth > 0 && start >= 0) this.take(text, start, text.length);
  }

  end(emit: (r: JsonRecord) => void): void {
    if (this.depth > 0)
      emit({
        line: this.objectLine,
        error: `line ${this.objectLine}: a JSON object is never closed`,
      });
    this.depth = 0;
    this.buffer = '';
  }

  private take(text: string, from: number, to: number): void {
    if (this.tooLong) return;
    this.buffer += text.slice(from, to);
    if (this.buffer.length > MAX_OBJECT_LENGTH) {
      this.tooLong = true;
      this.buffer = '';
    }
  }

  private finish(emit: (r: JsonRecord) => void): void {
    const line = this.objectLine;
    if (this.tooLong) {
      this.tooLong = false;
      emit({ line, error: `line ${line}: an object longer than ${MAX_OBJECT_LENGTH} characters` });
      return;
    }
    const text = this.buffer;
    this.buffer = '';
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // the engine's message quotes the text around the fault, which may be personal data
      const at = /position (\d+)/.exec((error as Error).message)?.[1];
      emit({
        line,
        error: `line ${line}: not valid JSON${at === undefined ? '' : ` (at character ${at} of the object)`}`,
      });
      return;
    }
    emit({ line, value: value as Record<string, unknown> });
  }
}

/** A JSON value as the text an import field reads; undefined for a nested object or array. */
export function jsonCell(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return undefined;
}
