// Dates of the care ledger as people read them: Beijing days, whole days to or past a due date.

const dayMs = 86_400_000;

/** Whole days from now to `iso` (negative: past), counted in Beijing calendar days. */
export function daysUntil(iso: string, now = Date.now()): number {
  const day = (ms: number) => Math.floor((ms + 8 * 3_600_000) / dayMs);
  return day(Date.parse(iso)) - day(now);
}

/** A date in the page's language: 12月3日 / 3 Dec (with the year when it is not this one). */
export function dayLabel(iso: string, locale: 'zh-CN' | 'en', now = Date.now()): string {
  const d = new Date(iso);
  const sameYear = new Date(now).getUTCFullYear() === d.getUTCFullYear();
  return d.toLocaleDateString(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai', month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }),
  });
}
