import { describe, expect, it } from 'vitest';
import { dayLabel, daysUntil } from './when.ts';

describe('care ledger dates', () => {
  const now = Date.parse('2026-12-07T20:00:00Z'); // 8 December, 04:00 in Beijing
  it('counts Beijing calendar days, not 24-hour spans', () => {
    expect(daysUntil('2026-12-07T17:00:00Z', now)).toBe(0); // 8 Dec 01:00 in Beijing: today
    expect(daysUntil('2026-12-07T15:00:00Z', now)).toBe(-1); // 7 Dec 23:00 in Beijing: yesterday
    expect(daysUntil('2026-12-18T00:00:00Z', now)).toBe(10);
  });
  it('writes the day in each language, the year only when it is not this one', () => {
    expect(dayLabel('2026-12-07T17:00:00Z', 'zh-CN', now)).toBe('12月8日');
    expect(dayLabel('2026-12-07T17:00:00Z', 'en', now)).toBe('8 Dec');
    expect(dayLabel('2025-06-01T04:00:00Z', 'en', now)).toBe('1 Jun 2025');
  });
});
