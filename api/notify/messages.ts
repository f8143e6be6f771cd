import { zhCNNames } from '../contract/names.ts';
import { isRequestCategory, type NotificationKind } from '../contract/vocabulary.ts';

/** What an outbox row says, composed when it is sent (the request as it is then). */
export type MessageFacts = {
  kind: NotificationKind | 'resolved';
  ticket: string;
  category: string;
  gridName: string | null;
  outcome: string | null;
  level: number | null;
};

const levelNames = [zhCNNames.roles.grid_worker, zhCNNames.roles.mediator, zhCNNames.levels.community, zhCNNames.levels.street];

/**
 * The words of a message leaving the system: Chinese, as its readers are, short enough for one
 * SMS. Staff messages name the ticket, category and grid, never the resident's words or contact
 * (an SMS or a group robot is read on lock screens and by others in a group).
 */
export function messageText(f: MessageFacts): { subject: string; text: string } {
  const category = isRequestCategory(f.category) ? zhCNNames.requestCategories[f.category] : f.category;
  const where = f.gridName ? `（${f.gridName}）` : '';
  const subject = {
    new_request: `新诉求 ${f.ticket}`,
    dispatched: `派单给您 ${f.ticket}`,
    escalated: `诉求上报 ${f.ticket}`,
    bad_rating: `差评重办 ${f.ticket}`,
    deadline_soon: `即将超时 ${f.ticket}`,
    resolved: `诉求已办结 ${f.ticket}`,
  }[f.kind];
  const text = {
    new_request: `网格内有新诉求 ${f.ticket}：${category}${where}，请及时认领。`,
    dispatched: `诉求 ${f.ticket}：${category}${where} 已派给您办理。`,
    escalated: `诉求 ${f.ticket}：${category}${where} 已上报至${levelNames[f.level ?? 0] ?? ''}，请处理。`,
    bad_rating: `您办理的诉求 ${f.ticket}：${category}${where} 居民评价不满意，已重新打开。`,
    deadline_soon: `诉求 ${f.ticket}：${category}${where} 将在 30 分钟内超时，请抓紧办理。`,
    resolved: `您反映的${category}诉求（${f.ticket}）已办结${f.outcome ? `：${f.outcome.slice(0, 120)}` : '。'}`,
  }[f.kind];
  return { subject: `【一图】${subject}`, text: `【一图】${text}` };
}
