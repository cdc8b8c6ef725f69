// What the CLI prints besides results: progress bars and usage errors.

/** A progress bar on stderr, redrawn in place; finished lines stay. */
export function bar(label: string, done: number, total: number): void {
  const width = 30;
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  process.stderr.write(
    `\r  ${label.padEnd(16)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%`,
  );
  if (done >= total) process.stderr.write('\n');
}

/** Says what is wrong with the command line and exits with 2. */
export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
