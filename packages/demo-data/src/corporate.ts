import {
  createRng,
  deriveSeed,
  enterpriseSize,
  smeIndustryOf,
  type EnterpriseSize,
} from '@strata/core';
import { mobilePhone, socialCreditCode } from './ids.js';
import { CITIES, FIRM_WORDS, INDUSTRIES, INSTITUTIONS } from './reference.js';
import { dayIn, eventRecorder, iso, logNormal, money, type BankContext } from './shared.js';
import type { BankEvent, Customer, CustomerRecord, MonthlyMetrics } from './types.js';

/** One corporate customer in every `ANCHOR_EVERY` is a supply-chain anchor (核心企业). */
export const ANCHOR_EVERY = 250;

const DEPOSIT_MEDIAN: Record<EnterpriseSize, number> = {
  micro: 200e3,
  small: 1.5e6,
  medium: 12e6,
  large: 120e6,
};
const PAYROLL_SHARE: Record<EnterpriseSize, number> = {
  micro: 0.1,
  small: 0.3,
  medium: 0.6,
  large: 0.8,
};

/** Generates the corporate customer with the given index; anchors are fixed by index so others can link to them. */
export function generateCorporate(
  ctx: BankContext,
  index: number,
  id: number,
  corporateCount: number,
): CustomerRecord {
  const rng = createRng(deriveSeed(ctx.seed, 0x40000000 + index));
  const P = ctx.periods.length;
  const first = ctx.startDay[0] ?? 0;
  const c = rng.weighted(CITIES.map((x) => x.weight));
  const city = CITIES[c] ?? CITIES[0];
  if (!city) throw new Error('no cities');
  const subs = ctx.org.subBranchesByCity[c] ?? [];
  const orgUnitId = rng.pick(subs);
  const district = city.districts[subs.indexOf(orgUnitId)] ?? city.districts[0];
  const region = `${city.region.slice(0, 4)}${String(rng.int(1, 9)).padStart(2, '0')}`;
  const anchor = index % ANCHOR_EVERY === 0;
  const institution =
    !anchor && rng.chance(0.03)
      ? INSTITUTIONS[rng.weighted(INSTITUTIONS.map((x) => x.weight))]
      : undefined;

  let industryCode: string;
  let name: string;
  let employees: number;
  let revenue: number;
  if (institution) {
    industryCode = institution.code;
    name =
      institution.type === 'hospital'
        ? `${city.name}市第${'一二三四五六七八'[rng.int(0, 7)]}${institution.name}`
        : institution.type === 'school'
          ? `${city.name}${district?.[0] ?? ''}${institution.name}`
          : `${city.name}市${district?.[0] ?? ''}区${institution.name}`;
    employees = Math.round(logNormal(rng, 400, 0.7));
    revenue = employees * logNormal(rng, 300e3, 0.4);
  } else {
    const pool = INDUSTRIES.filter((x) => x.weight > 0);
    const industry = anchor
      ? rng.pick(pool.filter((x) => x.code.startsWith('C') || x.code.startsWith('F')))
      : pool[rng.weighted(pool.map((x) => x.weight))];
    if (!industry) throw new Error('no industries');
    industryCode = industry.code;
    const word = () => FIRM_WORDS[rng.int(0, FIRM_WORDS.length - 1)] ?? '';
    name = `${city.name}${word()}${word()}${industry.word}${anchor ? '集团' : ''}有限公司`;
    employees = anchor ? rng.int(1_500, 8_000) : Math.max(1, Math.round(logNormal(rng, 14, 1.3)));
    revenue = anchor ? logNormal(rng, 1.5e9, 0.6) : employees * logNormal(rng, 600e3, 0.7);
  }
  const totalAssets = revenue * (0.5 + 1.5 * rng.next());
  const size = enterpriseSize(smeIndustryOf(industryCode), {
    employees,
    revenue,
    assets: totalAssets,
  });
  const anchors = Math.ceil(corporateCount / ANCHOR_EVERY);
  const inChain = !anchor && !institution && anchors > 0 && rng.chance(0.08);
  const chainRole = anchor
    ? 'anchor'
    : inChain
      ? rng.chance(0.6)
        ? 'upstream'
        : 'downstream'
      : null;
  const chainAnchorId = inChain ? rng.int(0, anchors - 1) * ANCHOR_EVERY + 1 : null;
  const listed = size === 'large' ? rng.chance(0.3) : size === 'medium' ? rng.chance(0.05) : false;
  const basicAccount = rng.chance(institution ? 0.8 : 0.45);
  const payrollEmployer = rng.chance(institution ? 0.9 : PAYROLL_SHARE[size]);
  const managers = ctx.org.managersBySubBranch.get(orgUnitId)?.corporate ?? [];
  const rmId = managers.length > 0 ? rng.pick(managers) : null;

  // Deposits and their structure.
  const base = logNormal(rng, institution ? 80e6 : DEPOSIT_MEDIAN[size], 1.0);
  const settlementShare = institution ? 0.3 + 0.4 * rng.next() : 0.4 + 0.55 * rng.next();
  const wealthShare =
    size === 'medium' || size === 'large' ? (rng.chance(0.2) ? 0.1 + 0.2 * rng.next() : 0) : 0;
  const creditLine = !institution && rng.chance(0.4) ? revenue * (0.05 + 0.25 * rng.next()) : 0;
  let loans = creditLine * (0.3 + 0.6 * rng.next());
  const turnover = 1 + 7 * rng.next();
  const path = (['stable', 'growing', 'declining', 'dormant', 'churning', 'new'] as const)[
    rng.weighted([70, 10, 8, 4, 4, 4])
  ];
  const m = rng.int(0, P - 1);
  const openedDay = path === 'new' ? dayIn(rng, ctx, m) : first - rng.int(200, 365 * 20);
  let lastTxn: number | null =
    path === 'dormant' ? first - rng.int(150, 700) : first - rng.int(1, 10);
  const activity = Math.min(400, 10 + employees / 5);

  const customer: Customer = {
    id,
    externalId: `C${String(index + 1).padStart(9, '0')}`,
    kind: 'corporate',
    name,
    idNumber: socialCreditCode(rng, region, institution ? '12' : '91'),
    phone: mobilePhone(rng),
    orgUnitId,
    rmId,
    linkedOn: iso(openedDay),
    openedOn: iso(openedDay),
    closedOn: null,
    fundedOn: iso(openedDay),
    gender: null,
    birthDate: null,
    lifeStage: null,
    occupation: null,
    payrollEmployerId: null,
    hasMortgage: false,
    hasCreditCard: false,
    industryCode,
    employees,
    revenue: money(revenue),
    totalAssets: money(totalAssets),
    enterpriseSize: size,
    listed,
    institutionType: institution?.type ?? null,
    basicAccount,
    payrollEmployer,
    chainRole,
    chainAnchorId,
  };

  const metrics: MonthlyMetrics[] = [];
  const events: BankEvent[] = [];
  const event = eventRecorder(customer, events);
  if (path === 'new') event('account_opened', openedDay, null);
  let level = path === 'new' ? base * 0.3 : base;
  let prev = path === 'new' ? 0 : base;
  const d = rng.int(2, P - 1);
  for (let t = 0; t < P; t++) {
    const end = ctx.endDay[t] ?? 0;
    if (openedDay > end) continue;
    let acts = true;
    let mult = Math.exp(0.05 * rng.normal());
    if (path === 'growing' || (path === 'new' && t <= m + 4)) mult *= 1.05 + 0.1 * rng.next();
    if (path === 'declining' && t >= d && t < d + 3) mult *= 0.7 + 0.15 * rng.next();
    if (path === 'dormant') {
      mult = 1.001;
      acts = false;
    }
    if (path === 'churning' && t >= d) {
      if (t === d && basicAccount) event('basic_account_moved', dayIn(rng, ctx, t), null);
      mult = t === d ? 0.25 : 0;
      acts = t === d;
    }
    level = t === 0 && path !== 'new' ? level : level * mult;
    const aum = path === 'churning' && t > d ? rng.next() * 80 : level;
    const deposits = aum * (1 - wealthShare);
    const settlement = deposits * settlementShare;
    const activeTxnCount = acts ? Math.max(1, rng.poisson(activity)) : 0;
    if (activeTxnCount > 0) lastTxn = dayIn(rng, ctx, t, openedDay);
    const flow = acts ? deposits * turnover : 0;
    const delta = aum - prev;
    const headcount =
      payrollEmployer && acts ? Math.round(employees * (0.5 + 0.5 * rng.next())) : 0;
    metrics.push({
      customerId: id,
      period: ctx.periods[t] as string,
      aumAvg: money(aum),
      aumEnd: money(aum * Math.exp(0.04 * rng.normal())),
      depositsAvg: money(deposits),
      demandDeposits: money(settlement),
      timeDeposits: money(deposits - settlement),
      wealth: money(aum - deposits),
      funds: 0,
      insurance: 0,
      bonds: 0,
      otherAssets: 0,
      loans: money(loans),
      cardSpend: 0,
      txnInCount: acts ? rng.poisson(activity * 0.6) + 1 : 0,
      txnInAmount: money(flow / 2 + Math.max(0, delta)),
      txnOutCount: acts ? activeTxnCount : 0,
      txnOutAmount: money(flow / 2 + Math.max(0, -delta)),
      activeTxnCount,
      digitalLogins: acts ? rng.poisson(8) : 0,
      productTypes:
        1 +
        (deposits - settlement > 1_000 ? 1 : 0) +
        (wealthShare > 0 ? 1 : 0) +
        (loans > 0 ? 1 : 0) +
        (headcount > 0 ? 1 : 0) +
        (basicAccount ? 1 : 0),
      feeIncome: money(flow * 0.0002 + loans * 0.0005 + headcount * 2),
      lastTxnOn: lastTxn === null ? null : iso(lastTxn),
      settlementDeposits: money(settlement),
      highCostDeposits: money(deposits - settlement),
      settlementFlow: money(flow),
      creditLine: money(creditLine),
      payrollHeadcount: headcount,
    });
    const big = Math.max(5e6, prev * 0.3);
    if (t > 0 && delta >= big)
      event(institution ? 'special_bond_funds' : 'large_inflow', dayIn(rng, ctx, t), delta);
    if (t > 0 && -delta >= big) event('large_outflow', dayIn(rng, ctx, t), -delta);
    if (listed && (ctx.periods[t]?.endsWith('-06') || ctx.periods[t]?.endsWith('-12')))
      event('dividend_received', dayIn(rng, ctx, t), revenue * 0.002);
    if (creditLine > 0 && rng.chance(0.02))
      event('credit_line_expiring', dayIn(rng, ctx, t), creditLine);
    if (loans > 0 && rng.chance(0.01)) {
      event('loan_settled', dayIn(rng, ctx, t), loans);
      loans = 0;
    }
    prev = aum;
  }
  return { customer, metrics, events };
}
