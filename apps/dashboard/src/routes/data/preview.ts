/** The first rows of a CSV file, read in the browser for the wizard's preview and mapping. */
export interface CsvPreview {
  readonly delimiter: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const CANDIDATES = [',', ';', '\t', '|'] as const;

/** Splits one CSV line into fields (quotes and doubled quotes; no line breaks inside fields). */
function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/**
 * The header and first rows of a CSV text (the beginning of the file): the delimiter is the
 * candidate giving the same, largest number of fields on the first lines. The server reads the
 * whole file with its own strict reader; this is only for the person choosing the mapping.
 */
export function previewCsv(text: string, rows = 5, delimiter?: string): CsvPreview {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, rows + 1);
  // the last line of a slice may be cut off
  const sample = lines.slice(0, Math.max(1, lines.length - 1));
  const chosen =
    delimiter ??
    [...CANDIDATES]
      .map((d) => {
        const counts = sample.map((l) => splitLine(l, d).length);
        const same = counts.every((c) => c === counts[0]);
        return { d, score: same ? (counts[0] ?? 0) : 0 };
      })
      .sort((a, b) => b.score - a.score)[0]?.d ??
    ',';
  const [header = '', ...body] = lines;
  return {
    delimiter: chosen,
    headers: splitLine(header, chosen),
    rows: body.slice(0, rows).map((l) => splitLine(l, chosen)),
  };
}

/** A field's column: the header equal to the field's name or to one of its aliases, if any. */
export function autoMap(
  fields: readonly { name: string; aliases: readonly string[] }[],
  headers: readonly string[],
): Record<string, string> {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
  const out: Record<string, string> = {};
  for (const f of fields) {
    const names = [f.name, ...f.aliases].map(norm);
    const found = headers.find((h) => names.includes(norm(h)));
    if (found !== undefined) out[f.name] = found;
  }
  return out;
}

/** The query of `POST /api/imports` for the wizard's choices. */
export function importQuery(o: {
  readonly kind: string;
  readonly name: string;
  readonly onError: 'reject' | 'skip';
  readonly encoding?: string;
  readonly delimiter: string;
  readonly mapping: Readonly<Record<string, string>>;
  readonly source?: string;
  readonly saveMapping?: boolean;
}): string {
  const q = new URLSearchParams({ kind: o.kind, name: o.name, onError: o.onError });
  if (o.encoding) q.set('encoding', o.encoding);
  q.set('delimiter', o.delimiter);
  q.set('mapping', JSON.stringify(o.mapping));
  if (o.source) {
    q.set('source', o.source);
    if (o.saveMapping) q.set('saveMapping', '1');
  }
  return q.toString();
}
