import { describe, expect, it } from 'vitest';
import { demoShiftDays, shiftTicket } from './seed.ts';

describe('moving the demo requests to the present', () => {
  it('moves them by whole days so the newest falls within the last day', () => {
    const newest = Date.parse('2026-11-19T22:00:00+08:00');
    const now = Date.parse('2026-11-25T08:00:00+08:00');
    const days = demoShiftDays([newest - 5 * 86_400_000, newest], now);
    expect(days).toBe(5);
    expect(newest + days * 86_400_000).toBeLessThanOrEqual(now);
    expect(now - (newest + days * 86_400_000)).toBeLessThan(86_400_000);
  });

  it('never moves them backwards', () => {
    expect(demoShiftDays([Date.parse('2030-01-01T00:00:00Z')], Date.parse('2026-11-25T00:00:00Z'))).toBe(0);
  });

  it('moves the ticket’s date with its request, across a month end', () => {
    expect(shiftTicket('GM20261129-0042', 3)).toBe('GM20261202-0042');
    expect(shiftTicket('GM20261119-0001', 0)).toBe('GM20261119-0001');
    expect(shiftTicket('not-a-ticket', 3)).toBe('not-a-ticket');
  });
});
