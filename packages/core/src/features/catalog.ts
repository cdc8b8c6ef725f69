import type { Localized } from '../util/i18n.js';
import type { FeatureDef, Metric } from './vocabulary.js';

export {
  BOOLEAN_ATTRIBUTES,
  CATEGORY_ATTRIBUTES,
  METRICS,
  NUMBER_ATTRIBUTES,
  TREND_METRICS,
} from './vocabulary.js';
export type {
  BooleanAttribute,
  BooleanExpr,
  CategoryAttribute,
  CategoryExpr,
  FeatureDef,
  Metric,
  NumberAttribute,
  NumberExpr,
  TrendMetric,
} from './vocabulary.js';

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });
const m = (metric: Metric, k = 0) => ({ metric, k });

/** Every feature of the rule language, by key. */
export const FEATURES = {
  kind: {
    type: 'category',
    label: L('客户类型', 'customer type'),
    scope: 'all',
    values: ['retail', 'corporate'],
    expr: { attribute: 'kind' },
    valueLabels: { retail: L('个人', 'retail'), corporate: L('对公', 'corporate') },
  },
  aum: {
    type: 'number',
    unit: 'rmb',
    label: L('管理资产月日均', 'AUM (monthly average)'),
    scope: 'all',
    expr: m('aum_avg'),
  },
  aum_tier: {
    type: 'category',
    label: L('价值分层', 'value tier'),
    scope: 'retail',
    values: ['mass', 'gold', 'wealth', 'diamond', 'private'],
    expr: { tier: 'aum_avg' },
    valueLabels: {
      mass: L('大众', 'mass'),
      gold: L('金卡', 'gold'),
      wealth: L('财富', 'wealth'),
      diamond: L('钻石', 'diamond'),
      private: L('私行', 'private banking'),
    },
  },
  aum_trend_3m: {
    type: 'number',
    unit: 'ratio',
    label: L('近3个月资产变动', 'AUM change over 3 months'),
    scope: 'all',
    expr: { change: [m('aum_avg'), m('aum_avg', 3)] },
  },
  aum_trend_6m: {
    type: 'number',
    unit: 'ratio',
    label: L('近6个月资产变动', 'AUM change over 6 months'),
    scope: 'all',
    expr: { change: [m('aum_avg'), m('aum_avg', 6)] },
  },
  deposits: {
    type: 'number',
    unit: 'rmb',
    label: L('存款月日均', 'deposits (monthly average)'),
    scope: 'all',
    expr: m('deposits_avg'),
  },
  wealth: {
    type: 'number',
    unit: 'rmb',
    label: L('理财', 'wealth products'),
    scope: 'all',
    expr: m('wealth'),
  },
  funds: {
    type: 'number',
    unit: 'rmb',
    label: L('基金', 'funds'),
    scope: 'retail',
    expr: m('funds'),
  },
  insurance: {
    type: 'number',
    unit: 'rmb',
    label: L('代理保险', 'insurance'),
    scope: 'retail',
    expr: m('insurance'),
  },
  loans: {
    type: 'number',
    unit: 'rmb',
    label: L('贷款余额', 'loans'),
    scope: 'all',
    expr: m('loans'),
  },
  product_types: {
    type: 'number',
    unit: 'count',
    label: L('持有产品类数', 'product types held'),
    scope: 'all',
    expr: m('product_types'),
  },
  recency_days: {
    type: 'number',
    unit: 'days',
    label: L('距最近主动交易天数', 'days since last own transaction'),
    scope: 'all',
    expr: { daysSince: 'last_txn' },
  },
  frequency_90d: {
    type: 'number',
    unit: 'count',
    label: L('近90天主动交易笔数', 'own transactions in 90 days'),
    scope: 'all',
    expr: { sum: 'active_txn_count', months: 3 },
  },
  monetary_3m: {
    type: 'number',
    unit: 'rmb',
    label: L('近3个月平均资产', 'average AUM over 3 months'),
    scope: 'all',
    expr: { mean: 'aum_avg', months: 3 },
  },
  inflow_outflow_ratio: {
    type: 'number',
    unit: 'ratio',
    label: L('近3个月流入/流出比', 'inflow / outflow over 3 months'),
    scope: 'all',
    expr: {
      ratio: [
        { sum: 'txn_in_amount', months: 3 },
        { sum: 'txn_out_amount', months: 3 },
      ],
    },
  },
  net_flow_3m: {
    type: 'number',
    unit: 'rmb',
    label: L('近3个月净流入', 'net inflow over 3 months'),
    scope: 'all',
    expr: {
      minus: [
        { sum: 'txn_in_amount', months: 3 },
        { sum: 'txn_out_amount', months: 3 },
      ],
    },
  },
  digital_logins_90d: {
    type: 'number',
    unit: 'count',
    label: L('近90天线上登录次数', 'digital logins in 90 days'),
    scope: 'all',
    expr: { sum: 'digital_logins', months: 3 },
  },
  card_spend_3m: {
    type: 'number',
    unit: 'rmb',
    label: L('近3个月信用卡消费', 'card spend over 3 months'),
    scope: 'retail',
    expr: { sum: 'card_spend', months: 3 },
  },
  fee_income_12m: {
    type: 'number',
    unit: 'rmb',
    label: L('近12个月中收贡献', 'fee income over 12 months'),
    scope: 'all',
    expr: { sum: 'fee_income', months: 12 },
  },
  tenure_days: {
    type: 'number',
    unit: 'days',
    label: L('开户天数', 'days since account opened'),
    scope: 'all',
    expr: { daysSince: 'opened' },
  },
  age: {
    type: 'number',
    unit: 'years',
    label: L('年龄', 'age'),
    scope: 'retail',
    expr: { age: 'birth' },
  },
  gender: {
    type: 'category',
    label: L('性别', 'gender'),
    scope: 'retail',
    values: ['F', 'M'],
    expr: { attribute: 'gender' },
    valueLabels: { F: L('女', 'female'), M: L('男', 'male') },
  },
  life_stage: {
    type: 'category',
    label: L('人生阶段', 'life stage'),
    scope: 'retail',
    values: ['student', 'young', 'family', 'middle', 'senior'],
    expr: { attribute: 'life_stage' },
    valueLabels: {
      student: L('学生', 'student'),
      young: L('青年', 'young professional'),
      family: L('家庭', 'family'),
      middle: L('中年', 'middle-aged'),
      senior: L('银发', 'senior'),
    },
  },
  payroll_customer: {
    type: 'boolean',
    label: L('代发工资客户', 'payroll customer'),
    scope: 'retail',
    expr: { present: 'payroll_employer_id' },
  },
  has_mortgage: {
    type: 'boolean',
    label: L('有房贷', 'has a mortgage'),
    scope: 'retail',
    expr: { attribute: 'has_mortgage' },
  },
  has_credit_card: {
    type: 'boolean',
    label: L('持有信用卡', 'holds a credit card'),
    scope: 'retail',
    expr: { attribute: 'has_credit_card' },
  },
  settlement_share: {
    type: 'number',
    unit: 'ratio',
    label: L('结算性存款占比', 'settlement deposit share'),
    scope: 'corporate',
    expr: { ratio: [m('settlement_deposits'), m('deposits_avg')] },
  },
  high_cost_share: {
    type: 'number',
    unit: 'ratio',
    label: L('高成本存款占比', 'high-cost deposit share'),
    scope: 'corporate',
    expr: { ratio: [m('high_cost_deposits'), m('deposits_avg')] },
  },
  settlement_flow_3m: {
    type: 'number',
    unit: 'rmb',
    label: L('近3个月结算流量', 'settlement flow over 3 months'),
    scope: 'corporate',
    expr: { sum: 'settlement_flow', months: 3 },
  },
  payroll_headcount: {
    type: 'number',
    unit: 'persons',
    label: L('代发人数', 'payroll headcount'),
    scope: 'corporate',
    expr: m('payroll_headcount'),
  },
  basic_account: {
    type: 'boolean',
    label: L('基本户在我行', 'basic account with us'),
    scope: 'corporate',
    expr: { attribute: 'basic_account' },
  },
  payroll_employer: {
    type: 'boolean',
    label: L('代发单位', 'payroll employer'),
    scope: 'corporate',
    expr: { attribute: 'payroll_employer' },
  },
  listed: {
    type: 'boolean',
    label: L('上市公司', 'listed company'),
    scope: 'corporate',
    expr: { attribute: 'listed' },
  },
  employees: {
    type: 'number',
    unit: 'persons',
    label: L('从业人员', 'employees'),
    scope: 'corporate',
    expr: { attribute: 'employees' },
  },
  revenue: {
    type: 'number',
    unit: 'rmb',
    label: L('营业收入', 'revenue'),
    scope: 'corporate',
    expr: { attribute: 'revenue' },
  },
  enterprise_size: {
    type: 'category',
    label: L('企业规模', 'enterprise size'),
    scope: 'corporate',
    values: ['large', 'medium', 'small', 'micro'],
    expr: { attribute: 'enterprise_size' },
    valueLabels: {
      large: L('大型', 'large'),
      medium: L('中型', 'medium'),
      small: L('小型', 'small'),
      micro: L('微型', 'micro'),
    },
  },
  chain_role: {
    type: 'category',
    label: L('供应链角色', 'supply-chain role'),
    scope: 'corporate',
    values: ['anchor', 'upstream', 'downstream'],
    expr: { attribute: 'chain_role' },
    valueLabels: {
      anchor: L('核心企业', 'anchor'),
      upstream: L('上游', 'upstream'),
      downstream: L('下游', 'downstream'),
    },
  },
  institution_type: {
    type: 'category',
    label: L('机构类型', 'institution type'),
    scope: 'corporate',
    values: ['finance_bureau', 'social_security', 'housing_fund', 'hospital', 'school', 'tobacco'],
    expr: { attribute: 'institution_type' },
    valueLabels: {
      finance_bureau: L('财政', 'finance bureau'),
      social_security: L('社保', 'social security'),
      housing_fund: L('公积金', 'housing fund'),
      hospital: L('医院', 'hospital'),
      school: L('学校', 'school'),
      tobacco: L('烟草', 'tobacco'),
    },
  },
  industry_section: {
    type: 'category',
    label: L('行业门类', 'industry section'),
    scope: 'corporate',
    values: 'ABCDEFGHIJKLMNOPQRST'.split(''),
    expr: { section: 'industry_code' },
  },
} as const satisfies Record<string, FeatureDef>;

/** The key of a feature. */
export type FeatureKey = keyof typeof FEATURES;

/** Every feature key, in catalogue order. */
export const FEATURE_KEYS = Object.keys(FEATURES) as FeatureKey[];

/** A feature's definition. */
export function featureDef(key: FeatureKey): FeatureDef {
  return FEATURES[key];
}
