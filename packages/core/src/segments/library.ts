import type { Localized } from '../util/i18n.js';
import type { Condition } from '../rules/schema.js';

/** A segment definition in the rule language, ready to save. */
export interface SegmentDefinition {
  readonly key: string;
  readonly name: Localized;
  readonly description: Localized;
  readonly rule: Condition;
  readonly priority: number;
  readonly exclusive: boolean;
}

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });
const retail: Condition = { kind: 'cmp', field: 'kind', op: '=', value: 'retail' };
const corporate: Condition = { kind: 'cmp', field: 'kind', op: '=', value: 'corporate' };
const and = (...of: Condition[]): Condition => ({ kind: 'and', of });

/**
 * A starter library of expert segments (专家规则客群): retail life stages, payroll customers,
 * wealth micro-segments and corporate segments. Banks edit and extend it; it ships with the demo.
 */
export const STARTER_SEGMENTS: readonly SegmentDefinition[] = [
  {
    key: 'private_banking',
    name: L('私行客户', 'Private banking'),
    description: L(
      '月日均资产 600 万元以上，由私行团队专属经营。',
      'AUM of RMB 6M or more: served by the private bank alone.',
    ),
    rule: and(retail, { kind: 'cmp', field: 'aum_tier', op: '=', value: 'private' }),
    priority: 1,
    exclusive: true,
  },
  {
    key: 'at_risk_affluent',
    name: L('流失预警富裕客户', 'Affluent at risk'),
    description: L(
      '资产 5 万元以上，近 3 个月资产降三成或近 30 天大额流出。',
      'AUM ≥ 50k whose AUM fell 30 % in 3 months or who moved a large sum out in 30 days.',
    ),
    rule: and(
      retail,
      { kind: 'cmp', field: 'aum', op: '>=', value: 50_000 },
      {
        kind: 'or',
        of: [
          { kind: 'cmp', field: 'aum_trend_3m', op: '<=', value: -0.3 },
          { kind: 'event', event: 'large_outflow', withinDays: 30 },
        ],
      },
    ),
    priority: 5,
    exclusive: false,
  },
  {
    key: 'maturing_wealth',
    name: L('理财到期客户', 'Wealth maturing'),
    description: L(
      '近 30 天有理财到期：续作窗口。',
      'A wealth product matured in the last 30 days: the rollover window.',
    ),
    rule: and(retail, { kind: 'event', event: 'wealth_maturing', withinDays: 30 }),
    priority: 10,
    exclusive: false,
  },
  {
    key: 'idle_deposits',
    name: L('存款沉淀客户', 'Idle deposits'),
    description: L(
      '存款 20 万元以上、未持有理财：资产配置机会。',
      'Deposits of 200k or more and no wealth products: an allocation opportunity.',
    ),
    rule: and(
      retail,
      { kind: 'cmp', field: 'deposits', op: '>=', value: 200_000 },
      { kind: 'cmp', field: 'wealth', op: '<=', value: 0 },
    ),
    priority: 20,
    exclusive: false,
  },
  {
    key: 'payroll_no_wealth',
    name: L('代发未理财客户', 'Payroll, no wealth'),
    description: L(
      '代发工资客户尚未持有理财：交叉销售信号。',
      'Paid through our payroll but holding no wealth products: a cross-sell signal.',
    ),
    rule: and(
      retail,
      { kind: 'cmp', field: 'payroll_customer', op: '=', value: true },
      { kind: 'cmp', field: 'wealth', op: '<=', value: 0 },
    ),
    priority: 30,
    exclusive: false,
  },
  {
    key: 'mortgage_no_card',
    name: L('有房贷无信用卡', 'Mortgage, no card'),
    description: L('有房贷但未持有信用卡。', 'Has a mortgage but no credit card.'),
    rule: and(
      retail,
      { kind: 'cmp', field: 'has_mortgage', op: '=', value: true },
      { kind: 'cmp', field: 'has_credit_card', op: '=', value: false },
    ),
    priority: 40,
    exclusive: false,
  },
  {
    key: 'seniors',
    name: L('银发客群', 'Seniors'),
    description: L(
      '60 岁及以上或养老金代发客户。',
      'Aged 60 or over, or in the senior life stage (pension payroll).',
    ),
    rule: and(retail, {
      kind: 'or',
      of: [
        { kind: 'cmp', field: 'age', op: '>=', value: 60 },
        { kind: 'cmp', field: 'life_stage', op: '=', value: 'senior' },
      ],
    }),
    priority: 50,
    exclusive: false,
  },
  {
    key: 'middle_class',
    name: L('中产客群', 'Middle class'),
    description: L(
      '中年客户，资产 50 万至 600 万元。',
      'Middle-aged customers with AUM between 500k and 6M.',
    ),
    rule: and(
      retail,
      { kind: 'cmp', field: 'life_stage', op: '=', value: 'middle' },
      { kind: 'between', field: 'aum', min: 500_000, max: 6_000_000 },
    ),
    priority: 60,
    exclusive: false,
  },
  {
    key: 'parent_child',
    name: L('亲子家庭', 'Parent-child families'),
    description: L('28–45 岁的家庭阶段客户。', 'Customers aged 28 to 45 in the family stage.'),
    rule: and(
      retail,
      { kind: 'cmp', field: 'life_stage', op: '=', value: 'family' },
      { kind: 'between', field: 'age', min: 28, max: 45 },
    ),
    priority: 70,
    exclusive: false,
  },
  {
    key: 'family_formation',
    name: L('成家客群', 'Family formation'),
    description: L('有房贷或处于家庭阶段。', 'Holding a mortgage, or in the family stage.'),
    rule: and(retail, {
      kind: 'or',
      of: [
        { kind: 'cmp', field: 'has_mortgage', op: '=', value: true },
        { kind: 'cmp', field: 'life_stage', op: '=', value: 'family' },
      ],
    }),
    priority: 80,
    exclusive: false,
  },
  {
    key: 'young_professionals',
    name: L('青年新市民', 'Young professionals'),
    description: L(
      '青年阶段客户：新市民、职场新人。',
      'Young professionals and new urban residents.',
    ),
    rule: and(retail, { kind: 'cmp', field: 'life_stage', op: '=', value: 'young' }),
    priority: 90,
    exclusive: false,
  },
  {
    key: 'students',
    name: L('学生客群', 'Students'),
    description: L('在校学生。', 'Students.'),
    rule: and(retail, { kind: 'cmp', field: 'life_stage', op: '=', value: 'student' }),
    priority: 95,
    exclusive: false,
  },
  {
    key: 'payroll_customers',
    name: L('代发客群', 'Payroll customers'),
    description: L('工资或养老金由我行代发。', 'Salary or pension paid through us.'),
    rule: and(retail, { kind: 'cmp', field: 'payroll_customer', op: '=', value: true }),
    priority: 100,
    exclusive: false,
  },
  {
    key: 'institutions',
    name: L('机构客户', 'Institutions'),
    description: L(
      '财政、社保、公积金、医院、学校、烟草等机构。',
      'Finance bureaus, social security, housing funds, hospitals, schools, tobacco.',
    ),
    rule: and(corporate, { kind: 'not', of: { kind: 'null', field: 'institution_type' } }),
    priority: 10,
    exclusive: true,
  },
  {
    key: 'listed_companies',
    name: L('上市公司', 'Listed companies'),
    description: L('上市公司客户。', 'Listed companies.'),
    rule: and(corporate, { kind: 'cmp', field: 'listed', op: '=', value: true }),
    priority: 20,
    exclusive: false,
  },
  {
    key: 'chain_anchors',
    name: L('供应链核心企业', 'Supply-chain anchors'),
    description: L('"1+N" 中的核心企业。', 'The anchor firms of "1+N" supply chains.'),
    rule: and(corporate, { kind: 'cmp', field: 'chain_role', op: '=', value: 'anchor' }),
    priority: 30,
    exclusive: false,
  },
  {
    key: 'chain_members',
    name: L('供应链上下游', 'Supply-chain members'),
    description: L(
      '核心企业的上游供应商与下游经销商。',
      'Suppliers and distributors of anchor firms.',
    ),
    rule: and(corporate, { kind: 'in', field: 'chain_role', values: ['upstream', 'downstream'] }),
    priority: 40,
    exclusive: false,
  },
  {
    key: 'payroll_employers',
    name: L('代发单位', 'Payroll employers'),
    description: L(
      '在我行代发工资的企业：零售交叉销售的桥梁。',
      'Firms paying salaries through us: the bridge to retail cross-sell.',
    ),
    rule: and(corporate, { kind: 'cmp', field: 'payroll_employer', op: '=', value: true }),
    priority: 50,
    exclusive: false,
  },
  {
    key: 'small_micro',
    name: L('小微企业', 'Small and micro firms'),
    description: L(
      '按 2011 年中小企业划型标准为小型或微型。',
      'Small or micro under the 2011 SME standard.',
    ),
    rule: and(corporate, { kind: 'in', field: 'enterprise_size', values: ['small', 'micro'] }),
    priority: 60,
    exclusive: false,
  },
];
