import { describe, expect, it } from 'vitest';
import { minutesUntil, shortTime, urgencyOf, SOON_MINUTES, URGENT_MINUTES } from './time-left.ts';

describe('how urgent a request is from its time left', () => {
  it('is overdue when the server says so, whatever the minutes', () => {
    expect(urgencyOf(300, true)).toBe('overdue');
  });

  it('is overdue once the minutes run below zero', () => {
    expect(urgencyOf(-1)).toBe('overdue');
  });

  it('is urgent under an hour, soon under a day, ok beyond', () => {
    expect(urgencyOf(URGENT_MINUTES - 1)).toBe('urgent');
    expect(urgencyOf(URGENT_MINUTES)).toBe('soon');
    expect(urgencyOf(SOON_MINUTES - 1)).toBe('soon');
    expect(urgencyOf(SOON_MINUTES)).toBe('ok');
  });

  it('has no clock for a closed request', () => {
    expect(urgencyOf(null)).toBe('none');
  });
});

describe('minutes until a deadline', () => {
  it('counts whole minutes, negative once past', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    expect(minutesUntil('2026-12-04T10:30:00Z', now)).toBe(30);
    expect(minutesUntil('2026-12-04T09:00:00Z', now)).toBe(-60);
  });

  it('has none without a deadline or with a broken one', () => {
    expect(minutesUntil(null)).toBeNull();
    expect(minutesUntil('not a time')).toBeNull();
  });
});

describe('a short time for a phone line', () => {
  it('says nothing for a missing or broken time', () => {
    expect(shortTime(null)).toBe('');
    expect(shortTime('nonsense')).toBe('');
  });

  it('writes month-day hour:minute', () => {
    expect(shortTime('2026-08-23T14:05:00')).toBe('08-23 14:05');
  });
});
