import { createRng, deriveSeed } from '@strata/core';
import { residentId, mobilePhone } from './ids.js';
import { personName } from './org.js';
import { CITIES, OCCUPATIONS } from './reference.js';
import { fundedOnOf, planOf } from './retail-plan.js';
import { dayIn, eventRecorder, iso, logNormal, money, type BankContext } from './shared.js';
import type { BankEvent, Customer, CustomerRecord, LifeStage, MonthlyMetrics } from './types.js';

/** Employers a retail customer's salary can come from. */
export interface PayrollPool {
  readonly ids: readonly number[];
  readonly weights: readonly number[];
  /** The social-security centre that pays pensions (代发养老金), if the bank has one. */
  readonly pensionPayer: number | null;
}

const LIFE_STAGES: readonly {
  stage: LifeStage;
  weight: number;
  age: [number, number];
  median: number;
  activity: number;
}[] = [
  { stage: 'student', weight: 8, age: [18, 23], median: 1_500, activity: 18 },
  { stage: 'young', weight: 24, age: [22, 34], median: 6_000, activity: 20 },
  { stage: 'family', weight: 26, age: [28, 45], median: 10_000, activity: 16 },
  { stage: 'middle', weight: 24, age: [38, 58], median: 16_000, activity: 12 },
  { stage: 'senior', weight: 18, age: [58, 85], median: 20_000, activity: 6 },
];

/** Generates the retail customer with the given index; independent of every other customer. */
export function generateRetail(
  ctx: BankContext,
  index: number,
  id: number,
  payroll: PayrollPool,
): CustomerRecord {
  const rng = createRng(deriveSeed(ctx.seed, 0x10000000 + index));
  const P = ctx.periods.length;
  const lastEnd = ctx.endDay[P - 1] ?? 0;
  const c = rng.weighted(CITIES.map((x) => x.weight));
  const city = CITIES[c] ?? CITIES[0];
  if (!city) throw new Error('no cities');
  const subs = ctx.org.subBranchesByCity[c] ?? [];
  const orgUnitId = rng.pick(subs);
  const life = LIFE_STAGES[rng.weighted(LIFE_STAGES.map((s) => s.weight))] ?? LIFE_STAGES[0];
  if (!life) throw new Error('no life stages');
  const gender = rng.chance(0.51) ? 'F' : 'M';
  const age = rng.int(life.age[0], life.age[1]);
  const birthDay = lastEnd - age * 365 - rng.int(0, 364);
  const birthDate = iso(birthDay);
  const region = `${city.region.slice(0, 4)}${String(rng.int(1, 9)).padStart(2, '0')}`;
  const base = Math.min(3e8, logNormal(rng, life.median, 2.4));
  const plan = planOf(rng, ctx, base);

  const payrollEmployerId =
    life.stage === 'senior'
      ? rng.chance(0.5)
        ? payroll.pensionPayer
        : null
      : life.stage !== 'student' && payroll.ids.length > 0 && rng.chance(0.35)
        ? (payroll.ids[rng.weighted(payroll.weights)] ?? null)
        : null;
  const hasMortgage = (life.stage === 'family' || life.stage === 'middle') && rng.chance(0.3);
  const hasCreditCard = life.stage !== 'senior' && rng.chance(plan.openedDay === null ? 1 : 0.4);
  const tierAtBase = base >= 500e3 ? 2 : base >= 50e3 ? 1 : 0;
  const managers = ctx.org.managersBySubBranch.get(orgUnitId)?.retail ?? [];
  const rmId =
    managers.length > 0 && rng.chance([0.2, 0.7, 1][tierAtBase] ?? 0) ? rng.pick(managers) : null;

  // Which products the customer holds, and how AUM splits among them.
  const holds = (p: readonly number[]) => rng.chance(p[tierAtBase] ?? 0);
  const w = {
    time: holds([0.45, 0.6, 0.6]) ? 0.5 + rng.next() : 0,
    wealth: holds([0.08, 0.45, 0.8]) ? 0.5 + rng.next() : 0,
    funds: holds([0.05, 0.25, 0.55]) ? 0.3 + rng.next() : 0,
    insurance: holds([0.05, 0.2, 0.5]) ? 0.2 + rng.next() * 0.5 : 0,
    bonds: holds([0.01, 0.05, 0.2]) ? 0.2 + rng.next() * 0.4 : 0,
    other: holds([0, 0.01, 0.15]) ? 0.2 + rng.next() * 0.5 : 0,
  };
  const depositShare = [0.9, 0.62, 0.42][tierAtBase] ?? 0.5;
  const nonDeposit = w.wealth + w.funds + w.insurance + w.bonds + w.other;
  const demandShare = 0.3 + 0.5 * rng.next();
  const salary =
    payrollEmployerId !== null ? logNormal(rng, life.stage === 'senior' ? 4_000 : 8_000, 0.4) : 0;
  let mortgage = hasMortgage ? logNormal(rng, 600e3, 0.5) : 0;
  const activity = life.activity * (base < 5_000 ? 0.6 : 1);
  // Banks count mobile banking (手机银行) and payroll agency (代发) among the products a customer holds.
  const mobileBanking = rng.chance(life.stage === 'senior' ? 0.35 : 0.85);

  const customer: Customer = {
    id,
    externalId: `R${String(index + 1).padStart(9, '0')}`,
    kind: 'retail',
    name: personName(rng, gender),
    idNumber: residentId(rng, region, birthDate, gender),
    phone: mobilePhone(rng),
    orgUnitId,
    rmId,
    linkedOn: iso(plan.linkedDay),
    openedOn: plan.openedDay === null ? null : iso(plan.openedDay),
    closedOn: plan.closedDay === null ? null : iso(plan.closedDay),
    fundedOn: fundedOnOf(plan, ctx),
    gender,
    birthDate,
    lifeStage: life.stage,
    occupation: rng.pick(OCCUPATIONS[life.stage] ?? ['职员']),
    payrollEmployerId,
    hasMortgage,
    hasCreditCard,
    industryCode: null,
    employees: null,
    revenue: null,
    totalAssets: null,
    enterpriseSize: null,
    listed: false,
    institutionType: null,
    basicAccount: false,
    payrollEmployer: false,
    chainRole: null,
    chainAnchorId: null,
  };

  const metrics: MonthlyMetrics[] = [];
  const events: BankEvent[] = [];
  const event = eventRecorder(customer, events);
  let lastTxn = plan.lastTxnBefore;
  let prevAum = plan.fundedBefore ? (plan.aum[0] ?? 0) : 0;
  const birthMonth = birthDate.slice(5, 7);
  if (plan.openedDay !== null && plan.openedDay >= (ctx.startDay[0] ?? 0))
    event('account_opened', plan.openedDay, null);

  for (let t = 0; t < P; t++) {
    const start = ctx.startDay[t] ?? 0;
    const end = ctx.endDay[t] ?? 0;
    if (plan.linkedDay > end) continue;
    const period = ctx.periods[t] as string;
    const closed = plan.closedDay !== null && plan.closedDay <= end;
    const hasAccount = plan.openedDay !== null && plan.openedDay <= end && !closed;
    const aum = hasAccount ? (plan.aum[t] ?? 0) : 0;
    const acts = hasAccount && (plan.active[t] ?? false);
    const activeTxnCount = acts ? Math.max(1, rng.poisson(activity)) : 0;
    if (activeTxnCount > 0)
      lastTxn = dayIn(rng, ctx, t, Math.max(start, plan.openedDay ?? start) + 0);
    const delta = aum - prevAum;
    const paid = acts && salary > 0 ? salary * (0.9 + 0.2 * rng.next()) : 0;
    const spend = acts ? Math.min(aum, 1_000 + activity * 150 * rng.next()) : 0;
    const inflow = paid + Math.max(0, delta) + (acts ? spend : 0);
    const outflow = Math.max(0, -delta) + (acts ? spend + paid : 0);
    const deposits = nonDeposit > 0 ? aum * depositShare : aum;
    const rest = aum - deposits;
    const part = (x: number) => (nonDeposit > 0 ? money((rest * x) / nonDeposit) : 0);
    const time = w.time > 0 ? deposits * (1 - demandShare) : 0;
    const cardSpend =
      hasCreditCard && acts
        ? logNormal(rng, 2_500 + base * 0.01, 0.6)
        : hasCreditCard && !hasAccount && rng.chance(0.7)
          ? logNormal(rng, 2_000, 0.6)
          : 0;
    const values = {
      wealth: part(w.wealth),
      funds: part(w.funds),
      insurance: part(w.insurance),
      bonds: part(w.bonds),
      other: part(w.other),
    };
    const productTypes =
      (hasAccount ? 1 : 0) +
      (time > 1_000 ? 1 : 0) +
      (values.wealth > 1_000 ? 1 : 0) +
      (values.funds > 1_000 ? 1 : 0) +
      (values.insurance > 1_000 ? 1 : 0) +
      (values.bonds > 1_000 ? 1 : 0) +
      (values.other > 1_000 ? 1 : 0) +
      (hasCreditCard ? 1 : 0) +
      (mortgage > 0 ? 1 : 0) +
      (hasAccount && mobileBanking ? 1 : 0) +
      (hasAccount && payrollEmployerId !== null ? 1 : 0);
    metrics.push({
      customerId: id,
      period,
      aumAvg: money(aum),
      aumEnd: money(aum * Math.exp(0.02 * rng.normal())),
      depositsAvg: money(deposits),
      demandDeposits: money(deposits - time),
      timeDeposits: money(time),
      wealth: values.wealth,
      funds: values.funds,
      insurance: values.insurance,
      bonds: values.bonds,
      otherAssets: values.other,
      loans: money(mortgage),
      cardSpend: money(cardSpend),
      txnInCount: inflow > 0 ? 1 + rng.poisson(acts ? 2 : 0) : 0,
      txnInAmount: money(inflow),
      txnOutCount: acts ? Math.max(1, Math.round(activeTxnCount * 0.8)) : outflow > 0 ? 1 : 0,
      txnOutAmount: money(outflow),
      activeTxnCount,
      digitalLogins:
        acts && life.stage !== 'senior' ? rng.poisson(activity * 0.8) : acts ? rng.poisson(1) : 0,
      productTypes,
      feeIncome: money(
        values.wealth * 0.0004 +
          values.funds * 0.001 +
          values.insurance * 0.002 +
          cardSpend * 0.004,
      ),
      lastTxnOn: lastTxn === null ? null : iso(lastTxn),
      settlementDeposits: 0,
      highCostDeposits: 0,
      settlementFlow: 0,
      creditLine: 0,
      payrollHeadcount: 0,
    });

    // Moments of truth.
    if (paid > 0) event('salary_credited', Math.min(end, start + 9 + rng.int(0, 5)), paid);
    if (paid > 0 && (period.endsWith('-01') || period.endsWith('-02')) && rng.chance(0.35))
      event('year_end_bonus', dayIn(rng, ctx, t), salary * (1 + 3 * rng.next()));
    const big = Math.max(50_000, prevAum * 0.3);
    if (t > 0 && delta >= big) event('large_inflow', dayIn(rng, ctx, t), delta);
    if (t > 0 && -delta >= big) event('large_outflow', dayIn(rng, ctx, t), -delta);
    if (values.wealth > 1_000 && rng.chance(0.15))
      event('wealth_maturing', dayIn(rng, ctx, t), values.wealth * (0.2 + 0.6 * rng.next()));
    if (period.slice(5, 7) === birthMonth)
      event('birthday', Math.min(end, start + Number(birthDate.slice(8, 10)) - 1), null);
    if (rng.chance(0.004)) event('address_change', dayIn(rng, ctx, t), null);
    if (rng.chance(delta < -big ? 0.03 : 0.002)) event('complaint', dayIn(rng, ctx, t), null);
    const idle = hasAccount ? end - (lastTxn ?? plan.openedDay ?? end) : 0;
    if (idle >= 180 && idle - (end - start + 1) < 180) event('dormancy', end - (idle - 180), null);
    if (mortgage > 0 && rng.chance(0.004)) {
      event('loan_settled', dayIn(rng, ctx, t), mortgage);
      mortgage = 0;
    } else mortgage *= 0.994;
    prevAum = aum;
  }
  return { customer, metrics, events };
}
