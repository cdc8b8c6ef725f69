import { asc, eq } from 'drizzle-orm';
import { orgUnits } from '../schema/index.js';
import type { StrataDb } from '../types.js';

/** An org unit as the API shows it. */
export interface OrgUnitRow {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly kind: 'head_office' | 'branch' | 'sub_branch';
  readonly parentId: number | null;
}

/** The columns an org unit is returned with. */
const orgUnitColumns = {
  id: orgUnits.id,
  code: orgUnits.code,
  name: orgUnits.name,
  nameEn: orgUnits.nameEn,
  kind: orgUnits.kind,
  parentId: orgUnits.parentId,
};

/** Every org unit, head office first, in tree order. */
export function listOrgUnits(db: StrataDb): OrgUnitRow[] {
  return db.orm.select(orgUnitColumns).from(orgUnits).orderBy(asc(orgUnits.path)).all();
}

/** One org unit by id, or undefined. */
export function getOrgUnit(db: StrataDb, id: number): OrgUnitRow | undefined {
  return db.orm.select(orgUnitColumns).from(orgUnits).where(eq(orgUnits.id, id)).get();
}
