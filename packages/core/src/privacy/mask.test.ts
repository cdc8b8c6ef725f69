import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAccount, maskIdNumber, maskName, maskPhone } from './mask.js';

describe('masking', () => {
  it('keeps a phone number’s first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('1234')).toBe('****');
  });

  it('keeps an ID number’s first 6 and last 4, or first 1 and last 1', () => {
    expect(maskIdNumber('33010219900307123X')).toBe('330102********123X');
    expect(maskIdNumber('33010219900307123X', '1-1')).toBe('3****************X');
  });

  it('keeps only the surname of a name, both characters of a compound one', () => {
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('李娜')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('Li Wei')).toBe('Li ***');
  });

  it('keeps an account number’s first 6 and last 4', () => {
    expect(maskAccount('6222 0212 3456 7890 123')).toBe('622202*********0123');
  });

  it('never shows more than the allowed digits of any phone or ID number', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{11}$/),
        fc.stringMatching(/^[0-9]{17}[0-9X]$/),
        (phone, id) => {
          const p = maskPhone(phone);
          expect(p.slice(3, 7)).toBe('****');
          expect(p).toHaveLength(11);
          const m = maskIdNumber(id);
          expect(m.slice(6, 14)).toBe('********');
          expect(m.replace(/\*/g, '')).toBe(id.slice(0, 6) + id.slice(14));
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});
