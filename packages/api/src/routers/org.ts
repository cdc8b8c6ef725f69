import { getOrgUnit, listOrgUnits, type OrgUnitRow, type StrataDb } from '@strata/db';
import { TRPCError } from '@trpc/server';
import { signedInProcedure } from '../trpc.js';

/** An org unit as procedures return it. */
export type OrgUnitRef = OrgUnitRow;

/** Finds an org unit by id or code, or answers NOT_FOUND. */
export function resolveOrgUnit(db: StrataDb, ref: number | string): OrgUnitRef {
  const unit =
    typeof ref === 'number' ? getOrgUnit(db, ref) : listOrgUnits(db).find((u) => u.code === ref);
  if (!unit)
    throw new TRPCError({ code: 'NOT_FOUND', message: `No org unit ${JSON.stringify(ref)}.` });
  return unit;
}

export const orgRouter = {
  /** The organisation tree: head office, branches, sub-branches, in tree order. */
  units: signedInProcedure.query(({ ctx }) => listOrgUnits(ctx.db)),
};
