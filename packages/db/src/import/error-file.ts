import { closeSync, openSync, writeSync } from 'node:fs';
import { csvCell } from './csv.js';
import type { RowIssue } from './parse.js';

/** Buffers the error file's lines and writes them in large pieces. */
export class ErrorFile {
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
