import OpeningHours from 'opening_hours';

/**
 * "Open now?" for a service point, from its OpenStreetMap `opening_hours` value, in China's time
 * (Asia/Shanghai, UTC+8 all year: no daylight saving since 1991) whatever the server's zone.
 *
 * Public holidays (`PH`): the opening_hours package knows only China's fixed-date days for `cn`
 * (元旦, 劳动节 5/1, 国庆 10/1–3) and also counts partial-population days (妇女节 3/8, 青年节 5/4,
 * 儿童节 6/1) as holidays; it has no 春节, 清明, 端午 or 中秋 and none of the State Council's
 * bridged days. So we replace `PH` in a value with the real dates off from the table below
 * before the package reads it. Make-up working days (调休上班, e.g. Saturday 2026-02-28) are not
 * modelled: a `Mo-Fr` service counts as closed on them.
 */

/** Days off by State Council notice (国务院办公厅关于部分节假日安排的通知), [month, firstDay, lastDay]. */
const daysOff: Record<number, [number, number, number][]> = {
  2025: [[1, 1, 1], [1, 28, 31], [2, 1, 4], [4, 4, 6], [5, 1, 5], [5, 31, 31], [6, 1, 2], [10, 1, 8]],
  2026: [[1, 1, 3], [2, 15, 23], [4, 4, 6], [5, 1, 5], [6, 19, 21], [9, 25, 27], [10, 1, 7]],
};
/** Years without a notice yet: only the fixed-date statutory days (lunar ones need the notice). */
const fixedDaysOff: [number, number, number][] = [[1, 1, 1], [5, 1, 2], [10, 1, 3]];
const holidayYears = { from: 2024, to: 2030 };

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `2026 Jan 01-03,2026 Feb 15-23,…`: the holidays as an opening_hours date selector. */
function holidaySelector(): string {
  const parts: string[] = [];
  for (let year = holidayYears.from; year <= holidayYears.to; year++) {
    for (const [m, a, b] of daysOff[year] ?? fixedDaysOff) {
      parts.push(`${year} ${months[m - 1]} ${pad(a)}${b > a ? `-${pad(b)}` : ''}`);
    }
  }
  return parts.join(',');
}
const holidays = holidaySelector();

// a rule that starts with a weekday/holiday list such as `Sa,Su,PH` or `PH`
const leadingDays = /^(\s*)((?:(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?|PH|SH)(?:\s*,\s*(?:(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?|PH|SH))*)(?=\s|$)(.*)$/s;

/**
 * `Mo-Fr 08:00-17:00; Su,PH off` → `Mo-Fr 08:00-17:00; Su off; 2026 Jan 01-03,… off`: the holiday
 * rule keeps its place, so later rules still override it as the syntax says. A `PH` anywhere
 * else (`PH -1 day`, inside a comment) is left to the package's own list.
 */
export function withChineseHolidays(value: string): string {
  if (!/\bPH\b/.test(value)) return value;
  return value.split(/(;|\|\|)/).map((rule, i) => {
    if (i % 2 === 1) return rule; // a separator
    const m = leadingDays.exec(rule);
    if (!m) return rule;
    const days = m[2].split(',').map((d) => d.trim());
    if (!days.includes('PH')) return rule;
    const rest = m[3];
    const others = days.filter((d) => d !== 'PH');
    const onHolidays = `${m[1]}${holidays}${rest}`;
    return others.length ? `${m[1]}${others.join(',')}${rest}; ${onHolidays.trimStart()}` : onHolidays;
  }).join('');
}

// The package reads a Date's local fields; we hand it a Date whose local fields show Shanghai's
// wall clock, and turn its answers back into real instants.
const shanghaiOffsetMs = 8 * 3600_000;
function toWall(instant: Date): Date {
  const s = new Date(instant.getTime() + shanghaiOffsetMs);
  return new Date(s.getUTCFullYear(), s.getUTCMonth(), s.getUTCDate(), s.getUTCHours(), s.getUTCMinutes(), s.getUTCSeconds(), s.getUTCMilliseconds());
}
function fromWall(wall: Date): Date {
  return new Date(Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes(), wall.getSeconds(), wall.getMilliseconds()) - shanghaiOffsetMs);
}
/** The Shanghai calendar fields of an instant. */
function shanghai(instant: Date) {
  const s = new Date(instant.getTime() + shanghaiOffsetMs);
  return { year: s.getUTCFullYear(), month: s.getUTCMonth() + 1, day: s.getUTCDate(), weekday: s.getUTCDay(), hm: `${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}` };
}

const nominatim = { lat: 35.2, lon: 113.2, address: { country_code: 'cn', state: '' } }; // only the country matters
const parsed = new Map<string, OpeningHours | null>();

/** The parsed value, or null when it cannot be read; parsed once per distinct string. */
function parse(value: string): OpeningHours | null {
  let oh = parsed.get(value);
  if (oh !== undefined) return oh;
  try {
    oh = new OpeningHours(withChineseHolidays(value), nominatim, { mode: 0, warnings_severity: 0, locale: 'en' } as any);
  } catch {
    oh = null; // a syntax error: the caller shows "hours unknown" instead of failing the request
  }
  if (parsed.size > 5000) parsed.clear();
  parsed.set(value, oh);
  return oh;
}

export interface OpeningState {
  /** null: no hours given, unreadable, or marked unknown */
  openNow: boolean | null;
  /** ISO instant the place next opens (when closed) */
  opensAt?: string;
  /** ISO instant the place next closes (when open) */
  closesAt?: string;
  /** for residents, in Chinese: 营业中，17:30 关门 · 已关门，明天 08:00 开门 · 24小时营业 · 营业时间未知 */
  status: string;
}

const lookAhead = 16 * 24 * 3600_000; // past the longest closure, 春节
const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** When, in words, relative to `now`: 08:00 · 明天 08:00 · 周一 08:00 · 10月8日 08:00. */
function when(at: Date, now: Date): string {
  const a = shanghai(at);
  const n = shanghai(now);
  const days = Math.round((Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(n.year, n.month - 1, n.day)) / 86_400_000);
  if (days === 0) return a.hm;
  if (days === 1) return `明天 ${a.hm}`;
  if (days < 7) return `${weekdays[a.weekday]} ${a.hm}`;
  return `${a.month}月${a.day}日 ${a.hm}`;
}

/** Open now, the next change and a Chinese sentence for it. Never throws. */
export function openingState(value: string | null | undefined, now: Date = new Date()): OpeningState {
  const unknown: OpeningState = { openNow: null, status: '营业时间未知' };
  if (!value || !value.trim()) return unknown;
  const oh = parse(value.trim());
  if (!oh) return unknown;
  try {
    const wall = toWall(now);
    if (oh.getUnknown(wall)) return unknown;
    const open = oh.getState(wall);
    const nextWall = oh.getNextChange(wall, new Date(wall.getTime() + lookAhead));
    const next = nextWall ? fromWall(nextWall) : undefined;
    if (open) {
      if (!next) return { openNow: true, status: '24小时营业' };
      return { openNow: true, closesAt: next.toISOString(), status: `营业中，${when(next, now)} 关门` };
    }
    if (!next) return { openNow: false, status: '暂停营业' };
    return { openNow: false, opensAt: next.toISOString(), status: `已关门，${when(next, now)} 开门` };
  } catch {
    return unknown; // the package can throw while evaluating odd values; a resident just sees "unknown"
  }
}

export const openNow = (value: string | null | undefined, now?: Date) => openingState(value, now).openNow;

/** The next opening or closing, or null (24/7, never opens, or unreadable). */
export function nextChange(value: string | null | undefined, now?: Date): Date | null {
  const s = openingState(value, now);
  const at = s.closesAt ?? s.opensAt;
  return at ? new Date(at) : null;
}

/** Whether a value is opening_hours syntax the package reads (checked on import: api/import/layers.ts). */
export const readableOpeningHours = (value: string): boolean => parse(value.trim()) !== null;
