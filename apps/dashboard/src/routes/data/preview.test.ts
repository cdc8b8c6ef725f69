import { describe, expect, it } from 'vitest';
import { autoMap, previewCsv } from './preview.js';

describe('the import preview', () => {
  it('finds the delimiter, the header and the first rows, quotes included', () => {
    const p = previewCsv(
      '\uFEFF客户号;姓名;金额\r\nR1;"王, 五";10\r\nR2;"李""四";20\r\nR3;张;3',
      5,
    );
    expect(p.delimiter).toBe(';');
    expect(p.headers).toEqual(['客户号', '姓名', '金额']);
    expect(p.rows).toEqual([
      ['R1', '王, 五', '10'],
      ['R2', '李"四', '20'],
      ['R3', '张', '3'],
    ]);
  });

  it('maps fields by name or alias, case and spacing aside', () => {
    expect(
      autoMap(
        [
          { name: 'customer_id', aliases: ['客户号'] },
          { name: 'campaign_code', aliases: [] },
          { name: 'amount', aliases: ['金额'] },
        ],
        ['客户号', 'Campaign Code', 'other'],
      ),
    ).toEqual({ customer_id: '客户号', campaign_code: 'Campaign Code' });
  });
});
