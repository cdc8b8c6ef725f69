import type { Localized } from '../util/i18n.js';

/** Moments of truth (MOT): the customer events strategies react to. */
export const MOT_EVENT_TYPES = [
  'account_opened',
  'salary_credited',
  'large_inflow',
  'large_outflow',
  'wealth_maturing',
  'birthday',
  'address_change',
  'dormancy',
  'complaint',
  'loan_settled',
  'year_end_bonus',
  'dividend_received',
  'special_bond_funds',
  'basic_account_moved',
  'credit_line_expiring',
] as const;

/** A moment-of-truth event type. */
export type MotEventType = (typeof MOT_EVENT_TYPES)[number];

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

/** Display names of the event types. */
export const EVENT_LABELS: Readonly<Record<MotEventType, Localized>> = {
  account_opened: L('开户', 'account opened'),
  salary_credited: L('工资入账', 'salary credited'),
  large_inflow: L('大额资金流入', 'large inflow'),
  large_outflow: L('大额资金流出', 'large outflow'),
  wealth_maturing: L('理财到期', 'wealth product maturing'),
  birthday: L('生日', 'birthday'),
  address_change: L('地址变更', 'address change'),
  dormancy: L('账户转入沉睡', 'account went dormant'),
  complaint: L('投诉', 'complaint'),
  loan_settled: L('贷款结清', 'loan settled'),
  year_end_bonus: L('年终奖入账', 'year-end bonus'),
  dividend_received: L('分红到账', 'dividend received'),
  special_bond_funds: L('专项债资金到账', 'special-bond funds received'),
  basic_account_moved: L('基本户迁出', 'basic account moved'),
  credit_line_expiring: L('授信到期', 'credit line expiring'),
};
