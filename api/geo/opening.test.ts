import { afterEach, describe, expect, it } from 'vitest';
import { nextChange, openNow, openingState, withChineseHolidays } from './opening.ts';

const at = (iso: string) => new Date(`${iso}+08:00`); // Shanghai wall-clock time
const weekday = 'Mo-Fr 08:00-12:00,14:30-17:30; Sa 09:00-12:00; PH off';

describe('opening hours in Shanghai time', () => {
  const zone = process.env.TZ;
  afterEach(() => { process.env.TZ = zone; });

  it('is open in the morning session and says when it closes', () => {
    expect(openingState(weekday, at('2026-11-20T10:00:00'))).toEqual({
      openNow: true, closesAt: '2026-11-20T04:00:00.000Z', status: '营业中，12:00 关门',
    });
  });

  it('is closed over lunch and opens again the same afternoon', () => {
    const s = openingState(weekday, at('2026-11-20T12:30:00'));
    expect(s.openNow).toBe(false);
    expect(s.status).toBe('已关门，14:30 开门');
  });

  it('says tomorrow when it next opens the next day', () => {
    expect(openingState(weekday, at('2026-11-20T18:30:00')).status).toBe('已关门，明天 09:00 开门');
  });

  it('names the weekday when it next opens after a closed Sunday', () => {
    expect(openingState(weekday, at('2026-11-21T18:30:00')).status).toBe('已关门，周一 08:00 开门');
  });

  it('stays open past midnight for an overnight range and closes at 02:00', () => {
    const late = openingState('18:00-02:00', at('2026-11-20T23:00:00'));
    expect(late).toMatchObject({ openNow: true, status: '营业中，明天 02:00 关门' });
    const small = openingState('18:00-02:00', at('2026-11-21T01:30:00'));
    expect(small).toMatchObject({ openNow: true, closesAt: '2026-11-20T18:00:00.000Z', status: '营业中，02:00 关门' });
    expect(openNow('18:00-02:00', at('2026-11-21T03:00:00'))).toBe(false);
  });

  it('is closed during the Spring Festival, which the package alone does not know', () => {
    const s = openingState(weekday, at('2026-02-16T10:00:00')); // a Monday in 春节 2026 (Feb 15–23)
    expect(s.openNow).toBe(false);
    expect(s.opensAt).toBe('2026-02-24T00:00:00.000Z');
    expect(s.status).toBe('已关门，2月24日 08:00 开门');
  });

  it('is closed on National Day and on Mid-Autumn, and open on the first working day after', () => {
    expect(openNow(weekday, at('2026-10-05T10:00:00'))).toBe(false);
    expect(openNow(weekday, at('2026-09-25T10:00:00'))).toBe(false); // 中秋 2026 (Fri)
    expect(openNow(weekday, at('2026-10-08T10:00:00'))).toBe(true);
  });

  it('treats Women\u2019s Day as a working day (the package counts it as a public holiday)', () => {
    expect(openNow(weekday, at('2026-03-09T10:00:00'))).toBe(true);
    expect(openNow('Mo-Su 08:00-18:00; PH off', at('2026-03-08T10:00:00'))).toBe(true);
  });

  it('keeps holidays in the place of the rule that named them, so later rules still win', () => {
    expect(withChineseHolidays('Mo-Su 08:00-20:00; Su,PH off')).toMatch(/^Mo-Su 08:00-20:00; Su off; 2024 Jan 01,.*2026 Feb 15-23,.* off$/);
    expect(openNow('Mo-Su 08:00-20:00; PH off; 2026 Oct 03 10:00-12:00', at('2026-10-03T11:00:00'))).toBe(true);
  });

  it('reads a value without PH unchanged', () => {
    expect(withChineseHolidays('Mo-Fr 09:00-17:00')).toBe('Mo-Fr 09:00-17:00');
  });

  it('is closed all day on closed days', () => {
    expect(openNow('Tu,Fr 09:00-11:30', at('2026-11-18T10:00:00'))).toBe(false); // Wednesday
    expect(openingState('Tu,Fr 09:00-11:30', at('2026-11-18T10:00:00')).status).toBe('已关门，周五 09:00 开门');
  });

  it('says 24/7 places are always open with no closing time', () => {
    expect(openingState('24/7', at('2026-02-17T03:00:00'))).toEqual({ openNow: true, status: '24小时营业' });
    expect(nextChange('24/7', at('2026-02-17T03:00:00'))).toBeNull();
  });

  it('answers unknown, without throwing, for invalid, empty and missing values', () => {
    for (const bad of ['garbage ((', 'Mo-Fr 25:00-26:00', '', '   ', null, undefined, '\u0000', '%_\'"']) {
      expect(openingState(bad, at('2026-11-20T10:00:00'))).toEqual({ openNow: null, status: '营业时间未知' });
    }
  });

  it('says a place that is always off is suspended', () => {
    expect(openingState('off', at('2026-11-20T10:00:00'))).toEqual({ openNow: false, status: '暂停营业' });
  });

  it('gives the same answer whatever the server\u2019s time zone', () => {
    const when = at('2026-11-20T07:59:00');
    process.env.TZ = 'UTC';
    const utc = openingState(weekday, when);
    process.env.TZ = 'America/New_York';
    const ny = openingState(weekday, when);
    expect(ny).toEqual(utc);
    expect(utc).toMatchObject({ openNow: false, opensAt: '2026-11-20T00:00:00.000Z', status: '已关门，08:00 开门' });
  });
});
