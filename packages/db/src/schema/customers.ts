import { blob, index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { orgUnits, relationshipManagers } from './org.js';

/**
 * Customers, retail (个人) and corporate (对公). `name`, `id_number` and `phone` are personal
 * data: select them only where masking is applied.
 */
export const customers = sqliteTable(
  'customers',
  {
    id: integer('id').primaryKey(),
    externalId: text('external_id').notNull().unique(),
    kind: text('kind', { enum: ['retail', 'corporate'] }).notNull(),
    name: text('name').notNull(),
    idNumber: text('id_number').notNull(),
    phone: text('phone'),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    rmId: integer('rm_id').references(() => relationshipManagers.id),
    linkedOn: text('linked_on').notNull(),
    openedOn: text('opened_on'),
    closedOn: text('closed_on'),
    fundedOn: text('funded_on'),
    gender: text('gender', { enum: ['F', 'M'] }),
    birthDate: text('birth_date'),
    lifeStage: text('life_stage'),
    occupation: text('occupation'),
    payrollEmployerId: integer('payroll_employer_id'),
    hasMortgage: integer('has_mortgage', { mode: 'boolean' }).notNull().default(false),
    hasCreditCard: integer('has_credit_card', { mode: 'boolean' }).notNull().default(false),
    industryCode: text('industry_code'),
    employees: integer('employees'),
    revenue: real('revenue'),
    totalAssets: real('total_assets'),
    enterpriseSize: text('enterprise_size', { enum: ['large', 'medium', 'small', 'micro'] }),
    listed: integer('listed', { mode: 'boolean' }).notNull().default(false),
    institutionType: text('institution_type'),
    basicAccount: integer('basic_account', { mode: 'boolean' }).notNull().default(false),
    payrollEmployer: integer('payroll_employer', { mode: 'boolean' }).notNull().default(false),
    chainRole: text('chain_role', { enum: ['anchor', 'upstream', 'downstream'] }),
    chainAnchorId: integer('chain_anchor_id'),
    /** The import run that last wrote this row (null: seeded or written otherwise). */
    importBatch: integer('import_batch'),
  },
  (t) => [
    index('customers_org_unit').on(t.orgUnitId),
    index('customers_rm').on(t.rmId),
    index('customers_kind').on(t.kind),
  ],
);

/** One row per customer per month (RMB; averages are 月日均). */
export const monthlyMetrics = sqliteTable(
  'monthly_metrics',
  {
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    period: text('period').notNull(),
    aumAvg: real('aum_avg').notNull(),
    aumEnd: real('aum_end').notNull(),
    depositsAvg: real('deposits_avg').notNull(),
    demandDeposits: real('demand_deposits').notNull(),
    timeDeposits: real('time_deposits').notNull(),
    wealth: real('wealth').notNull(),
    funds: real('funds').notNull(),
    insurance: real('insurance').notNull(),
    bonds: real('bonds').notNull(),
    otherAssets: real('other_assets').notNull(),
    loans: real('loans').notNull(),
    cardSpend: real('card_spend').notNull(),
    txnInCount: integer('txn_in_count').notNull(),
    txnInAmount: real('txn_in_amount').notNull(),
    txnOutCount: integer('txn_out_count').notNull(),
    txnOutAmount: real('txn_out_amount').notNull(),
    activeTxnCount: integer('active_txn_count').notNull(),
    digitalLogins: integer('digital_logins').notNull(),
    productTypes: integer('product_types').notNull(),
    feeIncome: real('fee_income').notNull(),
    lastTxnOn: text('last_txn_on'),
    settlementDeposits: real('settlement_deposits').notNull(),
    highCostDeposits: real('high_cost_deposits').notNull(),
    settlementFlow: real('settlement_flow').notNull(),
    creditLine: real('credit_line').notNull(),
    payrollHeadcount: integer('payroll_headcount').notNull(),
    importBatch: integer('import_batch'),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.period] }),
    index('monthly_metrics_period').on(t.period),
  ],
);

/** Moments of truth (MOT) in customers' histories. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey(),
    externalId: text('external_id').notNull().unique(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    type: text('type').notNull(),
    occurredOn: text('occurred_on').notNull(),
    amount: real('amount'),
    importBatch: integer('import_batch'),
  },
  (t) => [
    index('events_customer').on(t.customerId, t.occurredOn),
    index('events_type').on(t.type, t.occurredOn),
  ],
);

/**
 * The customers, their monthly snapshots and their events again, in columns: one row per block
 * of consecutive customers holding every metric of every month as Float64 (and last-transaction
 * days as Int32), period-major, exactly as `@strata/core`'s FeatureInput lays them out, plus
 * their attributes and event days. A refresh reads a few blobs instead of millions of rows. A
 * cache: rebuilt whenever `meta.data_version` (bumped by every write to customers, snapshots or
 * events) differs from the blocks' `data_version`.
 */
export const metricBlocks = sqliteTable(
  'metric_blocks',
  {
    dataVersion: integer('data_version').notNull(),
    firstId: integer('first_id').notNull(),
    lastId: integer('last_id').notNull(),
    count: integer('count').notNull(),
    /** JSON array of the months, oldest first. */
    periods: text('periods').notNull(),
    /** Int32 customer ids, ascending. */
    ids: blob('ids', { mode: 'buffer' }).notNull(),
    /** For each metric (METRICS order): Float64 × months × count; then Int32 last-transaction days. */
    payload: blob('payload', { mode: 'buffer' }).notNull(),
    /** The customers' attributes in columns (see metric-blocks.ts for the layout). */
    attributes: blob('attributes', { mode: 'buffer' }),
    /** JSON: per category attribute, the values its codes stand for. */
    dictionary: text('dictionary'),
    /** Every event day by (customer, type), CSR: Int32 offsets then Int32 days, ascending. */
    events: blob('events', { mode: 'buffer' }),
  },
  (t) => [primaryKey({ columns: [t.dataVersion, t.firstId] })],
);
