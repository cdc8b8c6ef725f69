import { describe, expect, it } from 'vitest';
import { enterpriseSize, smeIndustryOf } from './sme-size.js';

const M = 1_000_000;

describe('enterpriseSize', () => {
  it('sizes an industrial firm on staff and revenue, each band needing both', () => {
    expect(enterpriseSize('industry', { employees: 1000, revenue: 400 * M })).toBe('large');
    expect(enterpriseSize('industry', { employees: 999, revenue: 900 * M })).toBe('medium');
    expect(enterpriseSize('industry', { employees: 300, revenue: 20 * M })).toBe('medium');
    expect(enterpriseSize('industry', { employees: 299, revenue: 20 * M })).toBe('small');
    expect(enterpriseSize('industry', { employees: 20, revenue: 3 * M })).toBe('small');
    expect(enterpriseSize('industry', { employees: 20, revenue: 2.99 * M })).toBe('micro');
    expect(enterpriseSize('industry', { employees: 19, revenue: 50 * M })).toBe('micro');
  });

  it('uses the wholesale and retail lines of their own', () => {
    expect(enterpriseSize('wholesale', { employees: 20, revenue: 50 * M })).toBe('medium');
    expect(enterpriseSize('wholesale', { employees: 5, revenue: 10 * M })).toBe('small');
    expect(enterpriseSize('retail', { employees: 50, revenue: 5 * M })).toBe('medium');
    expect(enterpriseSize('retail', { employees: 9, revenue: 5 * M })).toBe('micro');
  });

  it('reads total assets for construction and real estate', () => {
    expect(enterpriseSize('construction', { employees: 10, revenue: 60 * M, assets: 50 * M })).toBe(
      'medium',
    );
    expect(enterpriseSize('construction', { employees: 10, revenue: 60 * M, assets: 49 * M })).toBe(
      'small',
    );
    expect(enterpriseSize('real_estate', { employees: 5, revenue: 1 * M, assets: 20 * M })).toBe(
      'small',
    );
  });

  it('sizes unlisted industries on staff alone', () => {
    expect(enterpriseSize('other', { employees: 100, revenue: 0 })).toBe('medium');
    expect(enterpriseSize('other', { employees: 9, revenue: 1e12 })).toBe('micro');
  });
});

describe('smeIndustryOf', () => {
  it('maps GB/T 4754-2017 codes to the 2011 standard industry lines', () => {
    expect(smeIndustryOf('C3670')).toBe('industry');
    expect(smeIndustryOf('A0111')).toBe('agriculture');
    expect(smeIndustryOf('E4710')).toBe('construction');
    expect(smeIndustryOf('F5111')).toBe('wholesale');
    expect(smeIndustryOf('F5212')).toBe('retail');
    expect(smeIndustryOf('G5990')).toBe('warehousing');
    expect(smeIndustryOf('G6010')).toBe('postal');
    expect(smeIndustryOf('G5430')).toBe('transport');
    expect(smeIndustryOf('H6110')).toBe('accommodation');
    expect(smeIndustryOf('H6210')).toBe('catering');
    expect(smeIndustryOf('I6513')).toBe('software');
    expect(smeIndustryOf('I6311')).toBe('information');
    expect(smeIndustryOf('K7010')).toBe('real_estate');
    expect(smeIndustryOf('K7020')).toBe('property_management');
    expect(smeIndustryOf('L7212')).toBe('leasing_business');
    expect(smeIndustryOf('Q8411')).toBe('other');
  });
});
