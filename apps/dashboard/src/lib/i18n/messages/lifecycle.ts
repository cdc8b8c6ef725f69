/** Strings of the lifecycle screen, in zh-CN (the reference) and en. */
export const zh = {
  lifecycleTitle: '客户生命周期',
  lifecycleLead: '各阶段客户数与资产，以及本期相对上期的阶段迁移。',
  funnelTitle: '生命周期漏斗',
  stayed: '保持原阶段',
  moved: '迁移',
  sankeyTitle: '客户流向：{from} → {to}',
  sankeyCaption: '带宽为客户数；点击一条流向查看其中的客户。',
  migrationDrill: '点击单元格查看其中的客户。',
  stageDefinitionsCaption: '按顺序判断，先满足者为准；阈值可在配置中调整。',
  allCustomers: '全部客户',
  migrationNotBySegment: '迁移按机构统计，不按客群筛选。',
} as const;

export const en: Record<keyof typeof zh, string> = {
  lifecycleTitle: 'Customer lifecycle',
  lifecycleLead: 'Customers and AUM per stage, and how customers moved since the previous period.',
  funnelTitle: 'Lifecycle funnel',
  stayed: 'Stayed in stage',
  moved: 'Moved',
  sankeyTitle: 'Customer flows: {from} → {to}',
  sankeyCaption: 'Band width is customers; choose a flow to see its customers.',
  migrationDrill: 'Choose a cell to see its customers.',
  stageDefinitionsCaption:
    'Tried in order, the first that matches wins; the thresholds are configurable.',
  allCustomers: 'All customers',
  migrationNotBySegment: 'The migration covers the branch, not only the segment.',
};
