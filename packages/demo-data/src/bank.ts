import { isPeriod, periodRange, type Period } from '@strata/core';
import { generateCorporate } from './corporate.js';
import { buildOrganisation, type Organisation } from './org.js';
import { generateRetail, type PayrollPool } from './retail.js';
import { bankContext } from './shared.js';
import type { CustomerRecord, OrgUnit, RelationshipManager } from './types.js';

/** How big a bank to make, and which. */
export interface DemoBankOptions {
  /** The same seed gives the same bank, byte for byte. @default 20261122 */
  readonly seed?: number;
  /** Retail customers. @default 100000 */
  readonly retail?: number;
  /** Corporate customers. @default 10000 */
  readonly corporate?: number;
  /** Monthly snapshots. @default 13 */
  readonly months?: number;
  /** The last month with data. A constant, never "now", so the bank never changes. @default '2026-10' */
  readonly lastPeriod?: Period;
}

/** A synthetic bank. Customers are generated on demand, one at a time, so any size fits in memory. */
export interface DemoBank {
  readonly options: Required<DemoBankOptions>;
  readonly periods: readonly Period[];
  readonly orgUnits: readonly OrgUnit[];
  readonly managers: readonly RelationshipManager[];
  /** Customers in all: corporate first (ids 1…corporate), then retail. */
  readonly size: number;
  /** Every customer with their months and events, in id order. */
  customers(): Generator<CustomerRecord>;
}

export const DEFAULT_DEMO_OPTIONS: Required<DemoBankOptions> = {
  seed: 20261122,
  retail: 100_000,
  corporate: 10_000,
  months: 13,
  lastPeriod: '2026-10',
};

function check(options: Required<DemoBankOptions>): void {
  const count = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  };
  count('retail', options.retail, 0);
  count('corporate', options.corporate, 0);
  count('months', options.months, 1);
  count('seed', options.seed, 0);
  if (!isPeriod(options.lastPeriod))
    throw new RangeError(`lastPeriod must be YYYY-MM, got ${options.lastPeriod}`);
}

/**
 * Creates a demo bank.
 * @example
 * const bank = createDemoBank({ retail: 1_000, corporate: 100 });
 * for (const { customer, metrics } of bank.customers()) console.log(customer.externalId, metrics.length);
 */
export function createDemoBank(options: DemoBankOptions = {}): DemoBank {
  const opts = { ...DEFAULT_DEMO_OPTIONS, ...options };
  check(opts);
  const periods = periodRange(opts.lastPeriod, opts.months);
  const org: Organisation = buildOrganisation(opts.seed, opts.retail + opts.corporate);
  const ctx = bankContext(opts.seed, periods, org);
  let pool: PayrollPool | undefined;
  // Retail salaries come from corporate payroll employers, so learn those first (once).
  const payrollPool = (): PayrollPool => {
    if (pool) return pool;
    const ids: number[] = [];
    const weights: number[] = [];
    let pensionPayer: number | null = null;
    for (let k = 0; k < opts.corporate; k++) {
      const { customer } = generateCorporate(ctx, k, k + 1, opts.corporate);
      if (customer.payrollEmployer) {
        ids.push(customer.id);
        weights.push(customer.employees ?? 1);
      }
      if (pensionPayer === null && customer.institutionType === 'social_security')
        pensionPayer = customer.id;
    }
    pool = { ids, weights, pensionPayer };
    return pool;
  };
  return {
    options: opts,
    periods,
    orgUnits: org.units,
    managers: org.managers,
    size: opts.retail + opts.corporate,
    *customers() {
      const payroll = payrollPool();
      for (let k = 0; k < opts.corporate; k++)
        yield generateCorporate(ctx, k, k + 1, opts.corporate);
      for (let k = 0; k < opts.retail; k++)
        yield generateRetail(ctx, k, opts.corporate + k + 1, payroll);
    },
  };
}
