import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/client.ts';
import { deadlinesOf, refusedStatuses, teamRoles } from '../contract/vocabulary.ts';
import { sqlList } from '../db/sql-list.ts';
import { hashPassword } from '../auth/passwords.ts';
import { hashToken } from '../auth/session.ts';
import { defaultDemoPassword, demoAccounts } from './accounts.ts';

/** What a resident is told when the demo's past requests were resolved, per category. */
const outcomes: Record<string, string> = {
  blocked_drain: '已联系物业疏通下水管道，现场已清理干净。',
  street_light: '已报修供电所，路灯已更换灯头恢复照明。',
  neighbour_dispute: '经调解员上门沟通，双方达成一致并签署调解协议。',
  flying_wire_charging: '已劝导住户拆除飞线，引导到小区充电桩充电。',
  clutter: '已组织楼长清理楼道杂物，消防通道恢复畅通。',
  parking: '已协调物业施划停车位，劝离占道车辆。',
  leaking_roof: '已联系维修基金维修屋面防水，雨后回访不再渗漏。',
  elderly_help: '网格员已上门帮扶，并对接长者食堂送餐服务。',
  sanitation: '已通知环卫清运，垃圾点恢复整洁。',
  heating: '已联系热力公司排气检修，室温恢复正常。',
  noise: '已上门提醒并约定施工时间，噪音问题已解决。',
  facility_repair: '已报修并完成设施维修，恢复正常使用。',
  other: '已按居民诉求处理完毕。',
};
const ratings = [5, 5, 4, 5, 3, 4, 5, 5, 4, 5, 3, 4];

type Row = { id: number; category: string; status: string; created_at: string; updated_at: string; grid_id: string | null; community_id: string | null };

/**
 * Gives the demo's past requests a history consistent with their status: the grid worker who
 * claimed them, deadlines of their category, claim/resolve times, outcomes and ratings, and the
 * audit events of each step (replacing the one-step history of the plain seed).
 */
export async function seedLoopHistory(db: Db): Promise<void> {
  const requests = rowsOf<Row>(await db.execute(sql`
    SELECT id, category, status, to_json(created_at) #>> '{}' AS created_at, to_json(updated_at) #>> '{}' AS updated_at, grid_id, community_id
    FROM requests ORDER BY id`));
  const staff = rowsOf<{ id: string; role: string; area_id: string }>(await db.execute(sql`
    SELECT id, role, area_id FROM staff WHERE role IN ${sqlList(teamRoles)} ORDER BY id`));
  const byArea = new Map<string, { id: string; role: string }[]>();
  for (const s of staff) byArea.set(s.area_id, [...(byArea.get(s.area_id) ?? []), s]);
  const pick = (r: Row) => {
    const grid = byArea.get(r.grid_id ?? '') ?? [];
    const workers = grid.filter((s) => s.role === 'grid_worker');
    const pool = workers.length ? workers : grid.length ? grid : (byArea.get(r.community_id ?? '') ?? []);
    return pool.length ? pool[r.id % pool.length].id : null;
  };

  const updates: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const minute = 60_000;
  for (const r of requests) {
    const created = new Date(r.created_at).getTime();
    const updated = Math.max(created, new Date(r.updated_at).getTime());
    const span = updated - created;
    const { claimMinutes, resolveMinutes } = deadlinesOf(r.category);
    const assignee = ['collected', ...refusedStatuses].includes(r.status as 'collected') ? null : pick(r);
    const at = (t: number) => new Date(Math.round(t)).toISOString();
    const ev = (t: number, actor: string, action: string, from: string, to: string, note: string | null = null, detail: Record<string, unknown> | null = null) =>
      events.push({ request_id: r.id, at: at(t), actor, action, from_status: from, to_status: to, note, detail });
    let claimedAt: number | null = null, resolvedAt: number | null = null, outcome: string | null = null, rating: number | null = null;
    let ratedAt: number | null = null;
    const who = assignee ?? 'system';

    if (r.status === 'claimed') claimedAt = updated;
    // most were claimed well within the claim window
    else if (assignee) claimedAt = created + Math.min(span * 0.15, Math.min(0.8 * claimMinutes, 5 + (r.id * 37) % 85) * minute);
    if (claimedAt !== null) ev(claimedAt, who, 'claimed', 'collected', 'claimed');

    switch (r.status) {
      case 'deliberating':
        ev(updated, who, 'status', 'claimed', 'deliberating');
        break;
      case 'resolving':
        ev(updated, who, 'status', 'claimed', 'resolving');
        break;
      case 'resolved': case 'revisited': case 'archived': {
        // most within the resolve window (20–90% of it), one in eight late: the 三率 of the demo read
        // as a working street's would, with something to improve (api/rates/rates.ts)
        const window = (r.id % 8 === 0 ? 1.4 : 0.2 + ((r.id * 53) % 70) / 100) * resolveMinutes * minute;
        resolvedAt = Math.min(r.status === 'resolved' ? updated : claimedAt! + (updated - claimedAt!) * 0.5, claimedAt! + window);
        outcome = outcomes[r.category] ?? outcomes.other;
        ev(claimedAt! + (resolvedAt - claimedAt!) * 0.3, who, 'status', 'claimed', 'resolving');
        ev(resolvedAt, who, 'status', 'resolving', 'resolved', outcome);
        if (r.status !== 'resolved') {
          rating = ratings[r.id % ratings.length];
          const revisited = r.status === 'revisited' ? updated : resolvedAt + (updated - resolvedAt) * 0.5;
          ev(revisited, 'resident', 'rated', 'resolved', 'revisited', null, { rating });
          ratedAt = revisited;
          if (r.status === 'archived') ev(updated, who, 'status', 'revisited', 'archived');
        }
        break;
      }
      case 'rejected':
        ev(updated, 'system', 'status', 'collected', 'rejected', '经核实不属于社区网格受理范围，已告知居民向相关部门反映。');
        break;
      case 'duplicate':
        ev(updated, 'system', 'status', 'collected', 'duplicate', '与附近已受理的同类诉求重复，已合并办理。');
        break;
    }
    updates.push({
      id: r.id, assignee_id: assignee, claimed_at: claimedAt === null ? null : at(claimedAt), resolved_at: resolvedAt === null ? null : at(resolvedAt),
      claim_deadline: at(created + claimMinutes * minute), resolve_deadline: at(created + resolveMinutes * minute),
      outcome, rating, rated_at: ratedAt === null ? null : at(ratedAt),
    });
  }

  await db.execute(sql`
    UPDATE requests r SET assignee_id = x.assignee_id, claimed_at = x.claimed_at, resolved_at = x.resolved_at,
      claim_deadline = x.claim_deadline, resolve_deadline = x.resolve_deadline, outcome = x.outcome, rating = x.rating, rated_at = x.rated_at
    FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS x(id int, assignee_id text, claimed_at timestamptz,
      resolved_at timestamptz, claim_deadline timestamptz, resolve_deadline timestamptz, outcome text, rating smallint, rated_at timestamptz)
    WHERE r.id = x.id`);
  for (let i = 0; i < events.length; i += 1000) {
    await db.execute(sql`
      INSERT INTO request_events (request_id, at, actor, action, from_status, to_status, note, detail)
      SELECT request_id, at, actor, action, from_status, to_status, note, detail
      FROM jsonb_to_recordset(${JSON.stringify(events.slice(i, i + 1000))}::jsonb) AS x(request_id int, at timestamptz, actor text,
        action text, from_status text, to_status text, note text, detail jsonb)
      ORDER BY at`);
  }
}

/** The fictional demo accounts, the demo wall's kiosk token and the demo Open311 key. */
export async function seedDemoAccess(db: Db): Promise<void> {
  const password = process.env.DEMO_PASSWORD || defaultDemoPassword;
  console.warn(`demo data: creating ${demoAccounts.length} demo staff accounts (${demoAccounts.map((a) => a.username).join(', ')}) with ` +
    (process.env.DEMO_PASSWORD ? 'the password from DEMO_PASSWORD' : `the default password "${defaultDemoPassword}" — set DEMO_PASSWORD, or do not load the demo data, on a real server`));
  const hashes = await Promise.all(demoAccounts.map(() => hashPassword(password)));
  for (const [i, a] of demoAccounts.entries()) {
    await db.execute(sql`INSERT INTO accounts (username, staff_id, password_hash) VALUES (${a.username}, ${a.staffId}, ${hashes[i]})
      ON CONFLICT (username) DO NOTHING`);
  }
  // kept as their sha256 like every token (api/admin/links.ts); the demo's are printed in the README
  await db.execute(sql`INSERT INTO kiosk_tokens (token_hash, hint, area_id, label, created_by)
    VALUES (${hashToken('demo-wall-xsl')}, '-xsl', 'MS-XSL', '学生路社区 大屏（演示）', 'demo') ON CONFLICT (token_hash) DO NOTHING`);
  await db.execute(sql`INSERT INTO api_keys (key_hash, hint, label, created_by)
    VALUES (${hashToken('demo-open311-key')}, '-key', 'Open311 演示密钥 / demo key', 'demo') ON CONFLICT (key_hash) DO NOTHING`);
}
