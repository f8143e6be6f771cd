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
