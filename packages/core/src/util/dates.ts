/**
 * Calendar arithmetic on plain numbers. Days are counted from 1970-01-01 (UTC)
 * so that nothing depends on the machine's time zone.
 */

/** A month, written `YYYY-MM`, e.g. `'2026-10'`. */
export type Period = string;

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `value` is a well-formed `YYYY-MM` period. */
export function isPeriod(value: string): value is Period {
  return PERIOD_RE.test(value);
}

function parsePeriod(period: Period): { year: number; month: number } {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new RangeError(`Not a period (YYYY-MM): ${JSON.stringify(period)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** The period `months` after (or before, if negative) `period`. */
export function addMonths(period: Period, months: number): Period {
  const { year, month } = parsePeriod(period);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const mm = (index % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(mm).padStart(2, '0')}`;
}

/** `count` consecutive periods ending with `last`, oldest first. */
export function periodRange(last: Period, count: number): Period[] {
  const out: Period[] = [];
  for (let k = count - 1; k >= 0; k--) out.push(addMonths(last, -k));
  return out;
}

/** Days in the month of `period`. */
export function daysInPeriod(period: Period): number {
  const { year, month } = parsePeriod(period);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const startDays = new Map<string, number>();

/** The day number of the first day of `period`. Memoised: rules ask it once per customer. */
export function periodStartDay(period: Period): number {
  let day = startDays.get(period);
  if (day === undefined) {
    const { year, month } = parsePeriod(period);
    day = Date.UTC(year, month - 1, 1) / MS_PER_DAY;
    startDays.set(period, day);
  }
  return day;
}

/** The day number of the last day of `period`. */
export function periodEndDay(period: Period): number {
  let day = endDays.get(period);
  if (day === undefined) {
    const { year, month } = parsePeriod(period);
    day = Date.UTC(year, month, 0) / MS_PER_DAY;
    endDays.set(period, day);
  }
  return day;
}
const endDays = new Map<string, number>();

/** The day number of an ISO date `YYYY-MM-DD`. */
export function dayOf(isoDate: string): number {
  const m = DATE_RE.exec(isoDate);
  if (!m) throw new RangeError(`Not a date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) {
    throw new RangeError(`No such date: ${isoDate}`);
  }
  return ms / MS_PER_DAY;
}

/** The ISO date `YYYY-MM-DD` of a day number. */
export function isoDateOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The period that contains a day number. */
export function periodOfDay(day: number): Period {
  return isoDateOf(day).slice(0, 7);
}
