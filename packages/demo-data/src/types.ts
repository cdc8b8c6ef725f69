import { MOT_EVENT_TYPES, type EnterpriseSize, type MotEventType, type Period } from '@strata/core';

/** A unit of the bank's organisation: head office, a branch (分行) or a sub-branch (支行). */
export interface OrgUnit {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly kind: 'head_office' | 'branch' | 'sub_branch';
  readonly parentId: number | null;
}

/** A relationship manager (客户经理), attached to a sub-branch. */
export interface RelationshipManager {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly orgUnitId: number;
  readonly line: 'retail' | 'corporate';
}

/** Life-stage groups of retail customers (个人生命周期). */
export type LifeStage = 'student' | 'young' | 'family' | 'middle' | 'senior';

/** Public-sector and similar institutional clients (机构客户). */
export type InstitutionType =
  'finance_bureau' | 'social_security' | 'housing_fund' | 'hospital' | 'school' | 'tobacco';

/** A customer, retail (个人) or corporate (对公). Personal fields are real-looking but synthetic. */
export interface Customer {
  readonly id: number;
  /** The bank's customer number (CIF). */
  readonly externalId: string;
  readonly kind: 'retail' | 'corporate';
  readonly name: string;
  /** Resident ID number (retail) or unified social credit code (corporate). */
  readonly idNumber: string;
  readonly phone: string;
  /** The sub-branch that holds the relationship. */
  readonly orgUnitId: number;
  readonly rmId: number | null;
  /** When the customer first became known to the bank (CIF created). */
  readonly linkedOn: string;
  /** When the first debit/settlement account opened; null if none (linked only by payroll or card). */
  readonly openedOn: string | null;
  readonly closedOn: string | null;
  /** When the customer first held debit AUM (from the bank's history); null if never. */
  readonly fundedOn: string | null;
  // Retail
  readonly gender: 'F' | 'M' | null;
  readonly birthDate: string | null;
  readonly lifeStage: LifeStage | null;
  readonly occupation: string | null;
  /** The corporate customer whose payroll (代发) pays this customer's salary. */
  readonly payrollEmployerId: number | null;
  readonly hasMortgage: boolean;
  readonly hasCreditCard: boolean;
  // Corporate
  /** GB/T 4754-2017 industry class code, e.g. 'C3670'. */
  readonly industryCode: string | null;
  readonly employees: number | null;
  /** Annual revenue, RMB. */
  readonly revenue: number | null;
  readonly totalAssets: number | null;
  /** Size under the 2011 SME standard. */
  readonly enterpriseSize: EnterpriseSize | null;
  readonly listed: boolean;
  readonly institutionType: InstitutionType | null;
  /** Holds its basic deposit account (基本存款账户) with us: we are its primary bank. */
  readonly basicAccount: boolean;
  /** Pays salaries through us (代发). */
  readonly payrollEmployer: boolean;
  /** Supply-chain role ("1+N"): the anchor, or a firm upstream or downstream of one. */
  readonly chainRole: 'anchor' | 'upstream' | 'downstream' | null;
  readonly chainAnchorId: number | null;
}

/** One customer's month (RMB; averages are 月日均, the average of each day's closing balance). */
export interface MonthlyMetrics {
  readonly customerId: number;
  readonly period: Period;
  /** AUM average daily balance: deposits + wealth + funds + insurance + bonds + other. Corporate: deposits + wealth. */
  readonly aumAvg: number;
  readonly aumEnd: number;
  readonly depositsAvg: number;
  readonly demandDeposits: number;
  readonly timeDeposits: number;
  readonly wealth: number;
  readonly funds: number;
  readonly insurance: number;
  readonly bonds: number;
  readonly otherAssets: number;
  readonly loans: number;
  readonly cardSpend: number;
  readonly txnInCount: number;
  readonly txnInAmount: number;
  readonly txnOutCount: number;
  readonly txnOutAmount: number;
  /** Transactions the customer made (transfers, payments, purchases); interest postings excluded. */
  readonly activeTxnCount: number;
  readonly digitalLogins: number;
  readonly productTypes: number;
  readonly feeIncome: number;
  /** Last customer-initiated transaction up to the month's end, or null if none ever. */
  readonly lastTxnOn: string | null;
  // Corporate
  readonly settlementDeposits: number;
  readonly highCostDeposits: number;
  readonly settlementFlow: number;
  readonly creditLine: number;
  readonly payrollHeadcount: number;
}

/** Moments of truth (MOT): the event types of `@strata/core`. */
export const EVENT_TYPES = MOT_EVENT_TYPES;
export type EventType = MotEventType;

/** One event in a customer's history. */
export interface BankEvent {
  /** The source system's event id. */
  readonly externalId: string;
  readonly customerId: number;
  readonly type: EventType;
  readonly occurredOn: string;
  readonly amount: number | null;
}

/** A customer with their months and events. */
export interface CustomerRecord {
  readonly customer: Customer;
  readonly metrics: readonly MonthlyMetrics[];
  readonly events: readonly BankEvent[];
}
