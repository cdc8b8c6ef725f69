import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dayOf,
  daysInPeriod,
  isoDateOf,
  periodEndDay,
  periodRange,
  periodStartDay,
} from './dates.js';

describe('addMonths', () => {
  it('crosses year boundaries both ways', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-10', -12)).toBe('2025-10');
  });

  it('refuses a malformed period', () => {
    expect(() => addMonths('2026-13', 1)).toThrow(/YYYY-MM/);
  });
});

describe('periodRange', () => {
  it('lists the months ending with the last, oldest first', () => {
    expect(periodRange('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});

describe('day numbers', () => {
  it('round-trip ISO dates and bound periods', () => {
    expect(isoDateOf(dayOf('2024-02-29'))).toBe('2024-02-29');
    expect(daysInPeriod('2024-02')).toBe(29);
    expect(periodEndDay('2026-10') - periodStartDay('2026-10')).toBe(30);
    expect(dayOf('1970-01-02')).toBe(1);
  });

  it('refuses a date that does not exist', () => {
    expect(() => dayOf('2026-02-30')).toThrow(/No such date/);
  });
});
