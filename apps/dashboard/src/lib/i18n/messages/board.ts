/** Strings of the strategy board, in zh-CN (the reference) and en. */
export const zh = {
  boardLead: '每个策略的触达、转化、相对对照组的提升（95% 置信区间）、KPI 进度与建议。',
  boardTitle: '策略管理看板',
  conversions: '转化',
  kpi: 'KPI',
  noBoard: '还没有生效或暂停的策略。',
  reach: '触达客户',
  upliftIntervalsCaption: '绿色：确定为正；橙色：确定为负；灰色：尚不确定（区间跨过 0）。',
} as const;

export const en: Record<keyof typeof zh, string> = {
  boardLead:
    'Every strategy’s reach, conversions, uplift over its control group (95 % interval), KPI progress and recommendation.',
  boardTitle: 'Strategy board',
  conversions: 'Conversions',
  kpi: 'KPI',
  noBoard: 'No active or paused strategies yet.',
  reach: 'Reach',
  upliftIntervalsCaption:
    'Green: surely positive; orange: surely negative; grey: not yet clear (the interval crosses 0).',
};
