// The org tree from the demo generator's org_units.csv, inserted directly: Strata has no import
// kind for org units yet. Used by the import benchmark's child and by the large-bank pipeline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv } from '@strata/db';

/** Inserts `csvDir/org_units.csv` (parents before children) into the open database; returns how many. */
export function insertOrgTree(db, csvDir) {
  const [header, ...rows] = readCsv(readFileSync(join(csvDir, 'org_units.csv'), 'utf8'), {
    delimiter: ',',
    quote: '"',
  });
  const col = Object.fromEntries(header.fields.map((name, i) => [name, i]));
  const insert = db.sqlite.prepare(
    'INSERT INTO org_units (code, name, name_en, kind, parent_id, path) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const setPath = db.sqlite.prepare('UPDATE org_units SET path = ? WHERE id = ?');
  const units = new Map(); // code → { id, path }
  db.sqlite.transaction(() => {
    for (const { fields } of rows) {
      const parentCode = fields[col.parent_code];
      const parent = parentCode ? units.get(parentCode) : undefined;
      if (parentCode && !parent)
        throw new Error(`org unit ${fields[col.code]}: parent ${parentCode} not seen yet`);
      const id = Number(
        insert.run(
          fields[col.code],
          fields[col.name],
          fields[col.name_en],
          fields[col.kind],
          parent?.id ?? null,
          '',
        ).lastInsertRowid,
      );
      const path = `${parent?.path ?? '/'}${id}/`;
      setPath.run(path, id);
      units.set(fields[col.code], { id, path });
    }
  })();
  return units.size;
}
