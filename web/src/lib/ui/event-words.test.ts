import { describe, expect, it } from 'vitest';
import { zhCN } from '../i18n/zh-CN.ts';
import { en } from '../i18n/en.ts';
import { detailLine, feedWords } from './event-words.ts';

describe('an audit event worded in the page\u2019s language', () => {
  const automatic = { fromLevel: 0, toLevel: 1, reason: 'claim_overdue' as const };

  it('words the automatic escalation in Chinese only', () => {
    expect(detailLine(zhCN.events, 'escalated', automatic)).toBe('超时未认领，自动上报：网格员 → 调解员');
  });

  it('words the automatic escalation in English only, with English punctuation', () => {
    const line = detailLine(en.events, 'escalated', automatic)!;
    expect(line).toBe('Not claimed in time; escalated automatically: grid worker → mediator');
    expect(line).not.toMatch(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/);
  });

  it('words a hand escalation, a dispatch, a rating and a duplicate from their data', () => {
    expect(detailLine(zhCN.events, 'escalated', { fromLevel: 1, toLevel: 2 })).toBe('上报：调解员 → 社区');
    expect(detailLine(en.events, 'dispatched', { assigneeName: '周暖心' })).toBe('To 周暖心');
    expect(detailLine(en.events, 'reopened', { rating: 1 })).toBe('Rated 1 star');
    expect(detailLine(zhCN.events, 'status', { ticket: 'GM20261207-0001' })).toBe('与 GM20261207-0001 重复');
    expect(detailLine(zhCN.events, 'note', null)).toBeNull();
    expect(detailLine(zhCN.events, 'reassigned', { fromArea: '第一网格', toArea: '第二网格' })).toBe('边界调整，所属区域：第一网格 → 第二网格');
    expect(detailLine(en.events, 'reassigned', { fromArea: '第一网格', toArea: '第二网格' })).toBe('Boundaries redrawn; area: 第一网格 → 第二网格');
  });

  it('says on the wall what happened: a note is not a claim, a photo and an escalation say so', () => {
    const e = (action: string, status = 'claimed', toLevel: number | null = null) => ({ action, status, toLevel });
    expect(feedWords(zhCN.events, e('note'))).toBe('添加备注');
    expect(feedWords(zhCN.events, e('photo'))).toBe('上传照片');
    expect(feedWords(zhCN.events, e('escalated', 'claimed', 2))).toBe('上报至社区');
    expect(feedWords(zhCN.events, e('reopened', 'resolving'))).toBe('居民不满意，重新办理');
    expect(feedWords(zhCN.events, e('status', 'resolved'))).toBe('已办结');
    expect(feedWords(en.events, e('escalated', 'claimed', 3))).toBe('Escalated to the street');
    expect(feedWords(en.events, e('note'))).toBe('Note added');
  });
});
