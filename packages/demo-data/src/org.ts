import { createRng, deriveSeed } from '@strata/core';
import { CITIES, GIVEN_F, GIVEN_M, SURNAMES } from './reference.js';
import type { OrgUnit, RelationshipManager } from './types.js';
import type { Rng } from '@strata/core';

/** A synthetic Chinese name: a weighted surname and one or two given characters. */
export function personName(rng: Rng, gender: 'F' | 'M'): string {
  const surname = SURNAMES[rng.weighted(SURNAMES.map((s) => s[1]))]?.[0] ?? '王';
  const pool = gender === 'F' ? GIVEN_F : GIVEN_M;
  const one = pool[rng.int(0, pool.length - 1)] ?? '';
  return rng.chance(0.7)
    ? surname + one + (pool[rng.int(0, pool.length - 1)] ?? '')
    : surname + one;
}

/** The bank's organisation: head office, one branch per city, sub-branches per district, RMs. */
export interface Organisation {
  readonly units: readonly OrgUnit[];
  readonly managers: readonly RelationshipManager[];
  /** Sub-branch ids per branch, in branch order (aligned with CITIES). */
  readonly subBranchesByCity: readonly (readonly number[])[];
  /** Retail and corporate RM ids per sub-branch id. */
  readonly managersBySubBranch: ReadonlyMap<
    number,
    { readonly retail: readonly number[]; readonly corporate: readonly number[] }
  >;
}

/** Builds the organisation; the same seed gives the same tree. RMs scale with the bank's size. */
export function buildOrganisation(seed: number, customers: number): Organisation {
  const rng = createRng(deriveSeed(seed, 0x0a9));
  const units: OrgUnit[] = [
    {
      id: 1,
      code: '000000',
      name: '总行',
      nameEn: 'Head Office',
      kind: 'head_office',
      parentId: null,
    },
  ];
  const managers: RelationshipManager[] = [];
  const subBranchesByCity: number[][] = [];
  const managersBySubBranch = new Map<number, { retail: number[]; corporate: number[] }>();
  const subBranchCount = CITIES.reduce((a, c) => a + c.districts.length, 0);
  // About one retail RM per 350 customers and one corporate RM per 3 retail RMs, at least one each.
  const retailPerSub = Math.max(1, Math.round(customers / 350 / subBranchCount));
  CITIES.forEach((city, c) => {
    const branchId = units.length + 1;
    units.push({
      id: branchId,
      code: `${city.region.slice(0, 4)}00`,
      name: `${city.name}分行`,
      nameEn: `${city.en} Branch`,
      kind: 'branch',
      parentId: 1,
    });
    const subs: number[] = [];
    city.districts.forEach(([name, en], d) => {
      const id = units.length + 1;
      units.push({
        id,
        code: `${city.region.slice(0, 4)}${String(d + 1).padStart(2, '0')}`,
        name: `${city.name}${name}支行`,
        nameEn: `${city.en} ${en} Sub-branch`,
        kind: 'sub_branch',
        parentId: branchId,
      });
      subs.push(id);
      const retail: number[] = [];
      const corporate: number[] = [];
      const count = retailPerSub + rng.int(0, 1);
      for (let k = 0; k < count + Math.max(1, Math.round(count / 3)); k++) {
        const mid = managers.length + 1;
        const line = k < count ? 'retail' : 'corporate';
        managers.push({
          id: mid,
          code: `RM${String(mid).padStart(5, '0')}`,
          name: personName(rng, rng.chance(0.55) ? 'F' : 'M'),
          orgUnitId: id,
          line,
        });
        (line === 'retail' ? retail : corporate).push(mid);
      }
      managersBySubBranch.set(id, { retail, corporate });
    });
    subBranchesByCity[c] = subs;
  });
  return { units, managers, subBranchesByCity, managersBySubBranch };
}
