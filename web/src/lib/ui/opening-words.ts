import type { Messages } from '../i18n/zh-CN.ts';

// A service point's hours as residents read them — "营业中 · 17:30 关门", "已关门 · 明天 08:00 开门",
// "Closed · opens Mon 08:00" — from the API's open-now state (api/geo/opening.ts reads the raw
// OpenStreetMap value): one wording for the resident's page and the staff map's popup.

export type OpeningFacts = { openNow?: boolean | null; opensAt?: string; closesAt?: string };
type Words = Messages['hours'];

const day = 86_400_000;
const shanghaiDate = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);

/** When, relative to `now`, in Shanghai time: 17:30 · 明天 08:00 · 周一 08:00 · 10月8日 08:00 (and in English). */
export function whenWords(words: Words, locale: string, iso: string, now = Date.now()): string {
  const at = Date.parse(iso);
  const clock = new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
  const days = Math.round((Date.parse(shanghaiDate(at)) - Date.parse(shanghaiDate(now))) / day);
  if (days <= 0) return clock;
  if (days === 1) return words.tomorrow(clock);
  const options: Intl.DateTimeFormatOptions = days < 7 ? { weekday: 'short' } : { month: 'short', day: 'numeric' };
  return `${new Date(at).toLocaleDateString(locale, { ...options, timeZone: 'Asia/Shanghai' })} ${clock}`;
}

/** The line to show, and whether it is open now (null: unknown, nothing to colour). */
export function openingLine(words: Words, locale: string, facts: OpeningFacts, now = Date.now()): { open: boolean | null; text: string } {
  if (facts.openNow === true) return { open: true, text: facts.closesAt ? words.openUntil(whenWords(words, locale, facts.closesAt, now)) : words.allDay };
  if (facts.openNow === false) return { open: false, text: facts.opensAt ? words.closedUntil(whenWords(words, locale, facts.opensAt, now)) : words.closed };
  return { open: null, text: words.unknown };
}
