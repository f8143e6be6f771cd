import { z } from 'zod';
import {
  wishBoardStates, claimantKinds, needKinds, needSources, needStatuses, projectStatuses, resourceKinds, wishStatuses,
  type ClaimantKind, type NeedKind, type NeedSource, type NeedStatus, type ProjectStatus, type ResourceKind, type WishStatus,
} from './vocabulary.ts';

// 三项清单 (issue 11 §1, docs/lists.md): the wire shapes of needs, resources, projects and wishes,
// and their names in each language. Staff in scope only, except the public wish board, which
// carries nothing but the summary staff wrote for it.

const text = (max: number) => z.string().trim().max(max);
const id = z.string().trim().min(1).max(80);
const rowId = z.number().int().min(1).max(2_147_483_647);
const phone = z.string().trim().regex(/^[0-9+\- ]{5,20}$/, { error: 'contactPhone must be 5–20 digits' });
const day = z.iso.date();
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month must be YYYY-MM' });
const count = z.number().int().min(0).max(100_000);

// ---------------------------------------------------------------- needs (群众需求清单)

/** POST /api/lists/needs: a need heard in a grid — at a building, in a grid, or taken from a request (its ticket). */
export const NeedInput = z.strictObject({
  request: z.string().trim().min(1).max(40).optional(), // a request's ticket: its grid, building and kind; source `request`
  gridId: id.optional(),
  buildingId: id.optional(),
  kind: z.enum(needKinds).optional(), // default: the request's category's kind, else `other`
  title: text(80).min(1),
  households: z.number().int().min(1).max(100_000).default(1),
  detail: text(2000).optional(), // PRIVATE: the residents' own words
  household: text(80).optional(), // PRIVATE: who asks
  source: z.enum(needSources).optional(), // default `visit`; `request` when taken from one
  sourceRef: text(80).optional(),
});
export type NeedInput = z.infer<typeof NeedInput>;

/** POST /api/lists/needs/:id: the fields to change. */
export const NeedEdit = z.strictObject({
  kind: z.enum(needKinds).optional(),
  title: text(80).min(1).optional(),
  households: z.number().int().min(1).max(100_000).optional(),
  detail: text(2000).optional(), // '' erases it
  household: text(80).optional(),
  sourceRef: text(80).optional(),
  status: z.enum(needStatuses).optional(),
});
export type NeedEdit = z.infer<typeof NeedEdit>;

export const NeedListQuery = z.object({
  grid: id.optional(),
  kind: z.enum(needKinds).optional(),
  status: z.enum(needStatuses).optional(),
});

const ProjectRef = z.object({ id: z.number().int(), title: z.string(), status: z.enum(projectStatuses) });

export const NeedRow = z.object({
  id: z.number().int(),
  communityId: z.string().nullable(), gridId: z.string(), gridName: z.string().nullable(),
  buildingId: z.string().nullable(), buildingName: z.string().nullable(),
  kind: z.enum(needKinds), title: z.string(), households: z.number().int(),
  detail: z.string().nullable(), household: z.string().nullable(),
  source: z.enum(needSources), sourceRef: z.string().nullable(),
  status: z.enum(needStatuses),
  projects: z.array(ProjectRef), // the projects that answer it
  createdAt: z.string(),
});
export type NeedRow = z.infer<typeof NeedRow>;

/** GET /api/lists/needs: the needs in scope, and per grid and kind how many needs and households. */
export const NeedList = z.object({
  needs: z.array(NeedRow),
  groups: z.array(z.object({
    gridId: z.string(), gridName: z.string().nullable(), kind: z.enum(needKinds),
    needs: z.number().int(), households: z.number().int(), open: z.number().int(),
  })),
});
export type NeedList = z.infer<typeof NeedList>;

// ---------------------------------------------------------------- resources (资源共享清单)

/** POST /api/lists/resources: a unit, organisation, venue or team, what it offers and how to reach it. */
export const ResourceInput = z.strictObject({
  name: text(80).min(1),
  kind: z.enum(resourceKinds),
  offers: text(500).min(1),
  contactName: text(40).optional(),
  contactPhone: phone.optional(),
  availability: text(200).optional(), // 每周五上午, 需提前一周预约
  communityId: id.nullable().optional(), // default: the writer's community; null: the whole street's (street administrator)
  poiId: id.optional(), // a service point: the resource is on the map there
});
export type ResourceInput = z.infer<typeof ResourceInput>;

export const ResourceEdit = z.strictObject({
  name: text(80).min(1).optional(),
  kind: z.enum(resourceKinds).optional(),
  offers: text(500).min(1).optional(),
  contactName: text(40).optional(),
  contactPhone: phone.or(z.literal('')).optional(),
  availability: text(200).optional(),
  poiId: id.or(z.literal('')).optional(), // '' unlinks it
});
export type ResourceEdit = z.infer<typeof ResourceEdit>;

export const ResourceRow = z.object({
  id: z.number().int(), communityId: z.string().nullable(), communityName: z.string().nullable(),
  name: z.string(), kind: z.enum(resourceKinds), offers: z.string(),
  contactName: z.string().nullable(), contactPhone: z.string().nullable(), availability: z.string().nullable(),
  poiId: z.string().nullable(), poiName: z.string().nullable(),
  lon: z.number().nullable(), lat: z.number().nullable(),
  projects: z.array(ProjectRef), // the projects that use it
});
export type ResourceRow = z.infer<typeof ResourceRow>;
export const ResourceList = z.object({ resources: z.array(ResourceRow) });

// ---------------------------------------------------------------- projects (项目服务清单)

const links = (max: number) => z.array(rowId).max(max);

/** POST /api/lists/projects: a project matching needs with resources. */
export const ProjectInput = z.strictObject({
  title: text(80).min(1),
  summary: text(1000).optional(),
  communityId: id.nullable().optional(), // default: the writer's community
  status: z.enum(['planned', 'active'] as const).default('planned'),
  startsOn: day.optional(),
  endsOn: day.optional(),
  participants: count.optional(),
  outcome: text(2000).optional(),
  needIds: links(200).default([]),
  resourceIds: links(50).default([]),
});
export type ProjectInput = z.infer<typeof ProjectInput>;

/** POST /api/lists/projects/:id: the fields to change; the links given replace the old ones; a status moves by the table. */
export const ProjectEdit = z.strictObject({
  title: text(80).min(1).optional(),
  summary: text(1000).optional(),
  status: z.enum(projectStatuses).optional(),
  startsOn: day.or(z.literal('')).optional(),
  endsOn: day.or(z.literal('')).optional(),
  participants: count.optional(),
  outcome: text(2000).optional(),
  needIds: links(200).optional(),
  resourceIds: links(50).optional(),
});
export type ProjectEdit = z.infer<typeof ProjectEdit>;

/** POST /api/lists/projects/:id/progress: a month's entry (每月更新, 动态跟踪问效). */
export const ProgressInput = z.strictObject({
  month,
  note: text(1000).min(1),
  participants: count.optional(),
});
export type ProgressInput = z.infer<typeof ProgressInput>;

export const ProjectRow = z.object({
  id: z.number().int(), communityId: z.string().nullable(), communityName: z.string().nullable(),
  title: z.string(), summary: z.string().nullable(), status: z.enum(projectStatuses),
  startsOn: z.string().nullable(), endsOn: z.string().nullable(),
  participants: z.number().int().nullable(), outcome: z.string().nullable(),
  needs: z.array(z.object({
    id: z.number().int(), title: z.string(), kind: z.enum(needKinds), gridName: z.string().nullable(),
    households: z.number().int(), status: z.enum(needStatuses),
  })),
  resources: z.array(z.object({ id: z.number().int(), name: z.string(), kind: z.enum(resourceKinds) })),
  households: z.number().int(), // the households of the needs it answers
  progress: z.array(z.object({
    id: z.number().int(), month: z.string(), note: z.string(), participants: z.number().int().nullable(),
    author: z.string().nullable(), at: z.string(),
  })), // newest month first
});
export type ProjectRow = z.infer<typeof ProjectRow>;
export const ProjectList = z.object({ projects: z.array(ProjectRow) });

// ---------------------------------------------------------------- 微心愿

/** POST /api/lists/wishes: a wish posted for a household (by its grid's staff, in its words). */
export const WishInput = z.strictObject({
  gridId: id.optional(),
  buildingId: id.optional(),
  wish: text(500).min(1), // PRIVATE
  household: text(80).optional(), // PRIVATE
  publicSummary: text(120).optional(), // staff's words for the public board; absent: not on it
});
export type WishInput = z.infer<typeof WishInput>;

export const WishEdit = z.strictObject({
  wish: text(500).min(1).optional(),
  household: text(80).optional(),
  publicSummary: text(120).optional(), // '' takes it off the board
});
export type WishEdit = z.infer<typeof WishEdit>;

/** POST /api/lists/wishes/:id/status: a step of the wish (vocabulary: wishTransitions). Claiming names who. */
export const WishMove = z.strictObject({
  to: z.enum(wishStatuses),
  claimantKind: z.enum(claimantKinds).optional(),
  claimantName: text(60).optional(),
  claimantResourceId: rowId.optional(), // a unit of the resources list
  note: text(500).optional(),
});
export type WishMove = z.infer<typeof WishMove>;

export const WishRow = z.object({
  id: z.number().int(), communityId: z.string().nullable(), gridId: z.string(), gridName: z.string().nullable(),
  buildingId: z.string().nullable(), buildingName: z.string().nullable(),
  wish: z.string().nullable(), household: z.string().nullable(), publicSummary: z.string().nullable(),
  status: z.enum(wishStatuses),
  claimantKind: z.enum(claimantKinds).nullable(), claimantName: z.string().nullable(), claimantResourceId: z.number().int().nullable(),
  note: z.string().nullable(),
  // a volunteer's claim from the public board waiting for staff (offer), and the claimant's phone: staff in scope only
  offer: z.object({ name: z.string(), phone: z.string().nullable(), at: z.string() }).nullable(),
  claimantPhone: z.string().nullable(),
  createdAt: z.string(), claimedAt: z.string().nullable(), fulfilledAt: z.string().nullable(), confirmedAt: z.string().nullable(),
});
export type WishRow = z.infer<typeof WishRow>;
export const WishList = z.object({ wishes: z.array(WishRow), counts: z.record(z.string(), z.number().int()) });

/** GET /api/lists/wishes/board (public): published wishes still waiting or claimed — the staff's summary, the grid's name, nothing else. */
export const WishBoard = z.object({
  wishes: z.array(z.strictObject({
    id: z.number().int(), summary: z.string(), gridName: z.string().nullable(), communityName: z.string().nullable(),
    status: z.enum(wishBoardStates), postedOn: z.string(),
  })),
});
export type WishBoard = z.infer<typeof WishBoard>;

/** POST /api/lists/wishes/:id/claim (public): a volunteer offers to fulfil a published wish; staff confirm. The phone is PRIVATE. */
export const WishClaim = z.strictObject({
  name: text(40).min(1),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, { error: 'phone must be 5–20 digits' }),
});
export type WishClaim = z.infer<typeof WishClaim>;
export const WishBoardQuery = z.object({ community: id.optional() });

// ---------------------------------------------------------------- the forms' choices

/** GET /api/lists/places: the grids the keeper writes in, the service points of their community (or street). */
export const ListPlaces = z.object({
  grids: z.array(z.object({ id: z.string(), name: z.string(), communityId: z.string(), communityName: z.string() })),
  pois: z.array(z.object({ id: z.string(), name: z.string(), category: z.string() })),
});

// ---------------------------------------------------------------- the map

/** GET /api/lists/map: needs at their building or grid, resources at their service point; staff only, no resident's words. */
export const ListsMap = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
    properties: z.discriminatedUnion('layer', [
      z.object({ layer: z.literal('need'), id: z.number().int(), kind: z.enum(needKinds), title: z.string(), households: z.number().int(), status: z.enum(needStatuses), answered: z.boolean() }),
      z.object({ layer: z.literal('resource'), id: z.number().int(), kind: z.enum(resourceKinds), title: z.string(), projects: z.number().int() }),
    ]),
  })),
});
export type ListsMap = z.infer<typeof ListsMap>;

// ---------------------------------------------------------------- names, in each language the product speaks

export type ListNames = {
  needKinds: Record<NeedKind, string>;
  needSources: Record<NeedSource, string>;
  needStatuses: Record<NeedStatus, string>;
  resourceKinds: Record<ResourceKind, string>;
  projectStatuses: Record<ProjectStatus, string>;
  wishStatuses: Record<WishStatus, string>;
  claimantKinds: Record<ClaimantKind, string>;
};

export const zhCNListNames: ListNames = {
  needKinds: {
    elderly_meals: '老年助餐', elderly_care: '养老照护', after_school: '课后托管', child_wellbeing: '儿童心理健康',
    health: '健康义诊', pipe_renewal: '管道更新', home_repair: '房屋维修', accessibility: '无障碍设施',
    environment: '环境整治', parking: '停车充电', culture: '文体活动', legal_aid: '法律调解', employment: '就业帮扶', other: '其他',
  },
  needSources: { request: '群众诉求', visit: '网格员走访', deliberation: '网格议事日', survey: '问卷调查', group: '楼院微信群' },
  needStatuses: { open: '待满足', met: '已满足', dropped: '已搁置' },
  resourceKinds: { unit: '共建单位', organisation: '社会组织', venue: '阵地场室', volunteer_team: '志愿服务队', partner: '社区合伙人', merchant: '商户' },
  projectStatuses: { planned: '筹备中', active: '进行中', paused: '暂停', completed: '已完成', cancelled: '已取消' },
  wishStatuses: { posted: '待认领', claimed: '已认领', fulfilled: '已实现', confirmed: '已确认', withdrawn: '已撤回' },
  claimantKinds: { volunteer: '志愿者', unit: '单位' },
};

export const enListNames: ListNames = {
  needKinds: {
    elderly_meals: 'Meals for the elderly', elderly_care: 'Elderly care', after_school: 'After-school care', child_wellbeing: "Children's wellbeing",
    health: 'Health checks', pipe_renewal: 'Pipe renewal', home_repair: 'Home repairs', accessibility: 'Accessibility',
    environment: 'Environment', parking: 'Parking and charging', culture: 'Culture and sports', legal_aid: 'Legal aid and mediation',
    employment: 'Employment', other: 'Other',
  },
  needSources: { request: 'Request', visit: 'Field visit', deliberation: 'Deliberation day', survey: 'Survey', group: 'Chat group' },
  needStatuses: { open: 'Open', met: 'Met', dropped: 'Set aside' },
  resourceKinds: { unit: 'Partner unit', organisation: 'Organisation', venue: 'Venue', volunteer_team: 'Volunteer team', partner: 'Community partner', merchant: 'Merchant' },
  projectStatuses: { planned: 'Planned', active: 'Active', paused: 'Paused', completed: 'Completed', cancelled: 'Cancelled' },
  wishStatuses: { posted: 'Waiting', claimed: 'Claimed', fulfilled: 'Fulfilled', confirmed: 'Confirmed', withdrawn: 'Withdrawn' },
  claimantKinds: { volunteer: 'Volunteer', unit: 'Unit' },
};
