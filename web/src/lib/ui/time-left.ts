// How urgent a request is, from its time left: one scale for the worker's queue and the wall's
// markers (their colours: timeLeftColours in ui/colours.ts).

export type Urgency = 'overdue' | 'urgent' | 'soon' | 'ok' | 'none';

export const URGENT_MINUTES = 60; // under an hour left: act now
export const SOON_MINUTES = 24 * 60; // under a day left: today's work

export function urgencyOf(timeLeftMinutes: number | null | undefined, overdue?: boolean): Urgency {
  if (overdue || (timeLeftMinutes != null && timeLeftMinutes < 0)) return 'overdue';
  if (timeLeftMinutes == null) return 'none';
  if (timeLeftMinutes < URGENT_MINUTES) return 'urgent';
  if (timeLeftMinutes < SOON_MINUTES) return 'soon';
  return 'ok';
}

/** Minutes from now to an ISO time (negative when past), or null without one. */
export function minutesUntil(iso: string | null | undefined, now = Date.now()): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.round((t - now) / 60_000) : null;
}

/** "08-23 14:05" in the viewer's clock: short enough for a phone line. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
