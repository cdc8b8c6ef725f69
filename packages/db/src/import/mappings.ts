import type { StrataDb } from '../types.js';
import type { ImportKind } from './catalogue.js';
import type { ColumnMapping } from './parse.js';
import type { ReadOptions } from './request.js';

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
