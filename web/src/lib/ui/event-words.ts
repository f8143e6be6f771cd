import type { EventDetail } from '../../../../api/contract/wire.ts';
import type { Messages } from '../i18n/zh-CN.ts';

// What an audit event says, worded in the page's language from its action and its detail: the
// server stores data (levels, a reason code, a name, a ticket, stars), never a sentence (issue 10).

type Words = Messages['events'];

/** The level's name (0 grid worker … 3 street), or the number when unknown. */
const levelName = (words: Words, level: number | undefined) => (level === undefined ? '?' : (words.levels[level] ?? String(level)));

/** The line the staff timeline shows under an event for its detail, or null when it has none. */
export function detailLine(words: Words, action: string, detail: EventDetail): string | null {
  if (!detail) return null;
  if (action === 'escalated' && detail.toLevel !== undefined) {
    const from = levelName(words, detail.fromLevel), to = levelName(words, detail.toLevel);
    return detail.reason ? words.autoEscalated(words.reasons[detail.reason] ?? detail.reason, from, to) : words.escalated(from, to);
  }
  if (action === 'reassigned' && (detail.fromArea || detail.toArea)) return words.reassigned(detail.fromArea ?? '—', detail.toArea ?? '—');
  if (detail.assigneeName) return words.dispatchedTo(detail.assigneeName);
  if (detail.rating !== undefined) return words.rated(detail.rating);
  if (detail.ticket) return action === 'me_too' ? words.mergedHere(detail.ticket) : words.duplicateOf(detail.ticket);
  return null;
}

/** What happened, in a few words, for the wall's feed: "上报至社区", "添加备注", "已办结"… */
export function feedWords(words: Words, event: { action: string; status: string; toLevel: number | null }): string {
  if (event.action === 'escalated') return event.toLevel === null ? words.escalatedTo('…') : words.escalatedTo(levelName(words, event.toLevel));
  if (event.action === 'status') return words.reached[event.status] ?? event.status;
  return words.feed[event.action] ?? event.action;
}
