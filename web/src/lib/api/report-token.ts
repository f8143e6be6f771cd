// The reporter's secret for a ticket (their proof for adding photos and rating, api/loop/report-token.ts),
// kept on the phone that filed it. One key, read and written only here.

const keyOf = (ticket: string) => `gm-report-token:${ticket}`;

export function keepReportToken(ticket: string, token: string | undefined) {
  if (!token) return;
  try {
    localStorage.setItem(keyOf(ticket), token);
  } catch {
    // private mode: the ticket number still works for following it
  }
}

/** The token this phone keeps for a ticket, or null (another phone, private mode). */
export function readReportToken(ticket: string): string | null {
  try {
    return localStorage.getItem(keyOf(ticket));
  } catch {
    return null;
  }
}

/** Every ticket this phone filed and keeps a token for (我的反映, issue 10), newest ticket number first. */
export function keptTickets(): { ticket: string; token: string }[] {
  const kept: { ticket: string; token: string }[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(keyOf(''))) continue;
      const token = localStorage.getItem(key);
      if (token) kept.push({ ticket: key.slice(keyOf('').length), token });
    }
  } catch {
    // private mode: nothing kept
  }
  return kept.sort((a, b) => b.ticket.localeCompare(a.ticket));
}
