import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoBank } from './bank.js';
import { consentsOf } from './consents.js';
import type { BankEvent, Customer, MonthlyMetrics } from './types.js';

type Cell = string | number | boolean | null;

/** One CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Buffers lines and writes them to a file in large chunks. */
class CsvFile {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;
  constructor(path: string, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    this.write(header);
    this.rows = 0;
  }
  write(cells: readonly Cell[]): void {
    const line = cells.map(csvField).join(',') + '\n';
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Column names of customers.csv, in order. */
export const CUSTOMER_COLUMNS = [
  'customer_id',
  'kind',
  'name',
  'id_number',
  'phone',
  'org_unit_code',
  'rm_code',
  'linked_on',
  'opened_on',
  'closed_on',
  'funded_on',
  'gender',
  'birth_date',
  'life_stage',
  'occupation',
  'payroll_employer_id',
  'has_mortgage',
  'has_credit_card',
  'industry_code',
  'employees',
  'revenue',
  'total_assets',
  'enterprise_size',
  'listed',
  'institution_type',
  'basic_account',
  'payroll_employer',
  'chain_role',
  'chain_anchor_id',
] as const;

/** Column names of monthly_metrics.csv, in order. */
export const METRIC_COLUMNS = [
  'customer_id',
  'period',
  'aum_avg',
  'aum_end',
  'deposits_avg',
  'demand_deposits',
  'time_deposits',
  'wealth',
  'funds',
  'insurance',
  'bonds',
  'other_assets',
  'loans',
  'card_spend',
  'txn_in_count',
  'txn_in_amount',
  'txn_out_count',
  'txn_out_amount',
  'active_txn_count',
  'digital_logins',
  'product_types',
  'fee_income',
  'last_txn_on',
  'settlement_deposits',
  'high_cost_deposits',
  'settlement_flow',
  'credit_line',
  'payroll_headcount',
] as const;

/** Column names of consents.csv, in order: one row per customer and channel with a record. */
export const CONSENT_COLUMNS = [
  'customer_id',
  'channel',
  'consent',
  'opted_out',
  'source',
  'updated_on',
] as const;

/** Column names of events.csv, in order. */
export const EVENT_COLUMNS = ['event_id', 'customer_id', 'type', 'occurred_on', 'amount'] as const;

/** What `writeBankCsv` wrote. */
export interface CsvSummary {
  readonly dir: string;
  readonly files: Readonly<Record<string, number>>;
}

/**
 * Writes the bank as the CSV files a real bank would hand over for import: UTF-8, comma
 * separated, a header row, customers referred to by their bank customer number (CIF).
 */
export function writeBankCsv(
  bank: DemoBank,
  dir: string,
  onProgress?: (done: number, total: number) => void,
): CsvSummary {
  mkdirSync(dir, { recursive: true });
  const unitCode = new Map(bank.orgUnits.map((u) => [u.id, u.code]));
  const rmCode = new Map(bank.managers.map((m) => [m.id, m.code]));
  const cif = (id: number | null) =>
    id === null
      ? null
      : id <= bank.options.corporate
        ? `C${String(id).padStart(9, '0')}`
        : `R${String(id - bank.options.corporate).padStart(9, '0')}`;

  const units = new CsvFile(join(dir, 'org_units.csv'), [
    'code',
    'name',
    'name_en',
    'kind',
    'parent_code',
  ]);
  for (const u of bank.orgUnits)
    units.write([
      u.code,
      u.name,
      u.nameEn,
      u.kind,
      u.parentId === null ? null : (unitCode.get(u.parentId) ?? null),
    ]);
  units.close();
  const rms = new CsvFile(join(dir, 'relationship_managers.csv'), [
    'code',
    'name',
    'org_unit_code',
    'line',
  ]);
  for (const m of bank.managers)
    rms.write([m.code, m.name, unitCode.get(m.orgUnitId) ?? null, m.line]);
  rms.close();

  const customers = new CsvFile(join(dir, 'customers.csv'), CUSTOMER_COLUMNS);
  const metrics = new CsvFile(join(dir, 'monthly_metrics.csv'), METRIC_COLUMNS);
  const events = new CsvFile(join(dir, 'events.csv'), EVENT_COLUMNS);
  const consents = new CsvFile(join(dir, 'consents.csv'), CONSENT_COLUMNS);
  let done = 0;
  for (const record of bank.customers()) {
    const c: Customer = record.customer;
    customers.write([
      c.externalId,
      c.kind,
      c.name,
      c.idNumber,
      c.phone,
      unitCode.get(c.orgUnitId) ?? null,
      c.rmId === null ? null : (rmCode.get(c.rmId) ?? null),
      c.linkedOn,
      c.openedOn,
      c.closedOn,
      c.fundedOn,
      c.gender,
      c.birthDate,
      c.lifeStage,
      c.occupation,
      cif(c.payrollEmployerId),
      c.hasMortgage,
      c.hasCreditCard,
      c.industryCode,
      c.employees,
      c.revenue,
      c.totalAssets,
      c.enterpriseSize,
      c.listed,
      c.institutionType,
      c.basicAccount,
      c.payrollEmployer,
      c.chainRole,
      cif(c.chainAnchorId),
    ]);
    for (const m of record.metrics as readonly MonthlyMetrics[]) {
      metrics.write([
        c.externalId,
        m.period,
        m.aumAvg,
        m.aumEnd,
        m.depositsAvg,
        m.demandDeposits,
        m.timeDeposits,
        m.wealth,
        m.funds,
        m.insurance,
        m.bonds,
        m.otherAssets,
        m.loans,
        m.cardSpend,
        m.txnInCount,
        m.txnInAmount,
        m.txnOutCount,
        m.txnOutAmount,
        m.activeTxnCount,
        m.digitalLogins,
        m.productTypes,
        m.feeIncome,
        m.lastTxnOn,
        m.settlementDeposits,
        m.highCostDeposits,
        m.settlementFlow,
        m.creditLine,
        m.payrollHeadcount,
      ]);
    }
    for (const e of record.events as readonly BankEvent[])
      events.write([e.externalId, c.externalId, e.type, e.occurredOn, e.amount]);
    for (const k of consentsOf(record, bank.options.seed))
      consents.write([c.externalId, k.channel, k.consent, k.optedOut, k.source, k.updatedOn]);
    done++;
    if (onProgress && done % 10_000 === 0) onProgress(done, bank.size);
  }
  customers.close();
  metrics.close();
  events.close();
  consents.close();
  onProgress?.(done, bank.size);
  return {
    dir,
    files: {
      'org_units.csv': units.rows,
      'relationship_managers.csv': rms.rows,
      'customers.csv': customers.rows,
      'monthly_metrics.csv': metrics.rows,
      'events.csv': events.rows,
      'consents.csv': consents.rows,
    },
  };
}
