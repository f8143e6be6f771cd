// The vocabulary's names as people read them, in each language the product speaks: shown by the
// web app (web/src/lib/i18n spreads them into its messages) and by the API where another system
// reads them (Open311's service names, the 15-minute circle's gaps). Typed by the vocabulary, so a
// new status or category without its names does not compile.
import type {
  AreaKind, AreaLevel, Open311Group, PoiCategory, RequestCategory, RequestChannel, RequestStatus, StaffRole,
} from './vocabulary.ts';

export type VocabularyNames = {
  levels: Record<AreaLevel, string>;
  kinds: Record<AreaKind, string>;
  roles: Record<StaffRole, string>;
  poiCategories: Record<PoiCategory, string>;
  requestCategories: Record<RequestCategory, string>;
  statuses: Record<RequestStatus, string>;
  channels: Record<RequestChannel, string>;
  open311Groups: Record<Open311Group, string>;
};

export const zhCNNames: VocabularyNames = {
  levels: {
    district: '区县',
    street: '街道',
    community: '社区',
    grid: '网格',
    microgrid: '微网格',
  },
  kinds: {
    regular: '普通网格',
    school: '学校',
    hospital: '医院',
    market: '市场',
    enterprise: '企业',
  },
  roles: {
    street_admin: '街道管理员',
    secretary: '社区党委书记',
    grid_leader: '网格长',
    grid_worker: '网格员',
    microgrid_leader: '微网格长',
    party_household: '党员中心户',
    mediator: '调解员',
  },
  poiCategories: {
    party_service_centre: '党群服务中心',
    clinic: '卫生服务站',
    pharmacy: '药店',
    elderly_canteen: '长者食堂',
    elderly_care: '养老照料',
    childrens_home: '儿童之家',
    rider_station: '暖心驿站',
    grid_home: '网格之家',
    deliberation_corner: '居民议事角',
    shared_toolbox: '共享工具箱',
    shop: '商户',
    supermarket: '超市',
    school: '学校',
    police: '警务室',
    ebike_charging: '电动车充电桩',
    ebike_parking: '电动车停放点',
  },
  requestCategories: {
    blocked_drain: '下水道堵塞',
    street_light: '路灯故障',
    neighbour_dispute: '邻里纠纷',
    flying_wire_charging: '飞线充电',
    clutter: '乱堆杂物',
    parking: '停车问题',
    leaking_roof: '房屋漏水',
    elderly_help: '助老服务',
    sanitation: '环境卫生',
    heating: '供暖问题',
    noise: '噪音扰民',
    facility_repair: '设施维修',
    other: '其他',
  },
  statuses: {
    collected: '网格问事',
    claimed: '已认领',
    deliberating: '商议说事',
    resolving: '具体解事',
    resolved: '反馈息事',
    revisited: '回访宁事',
    archived: '归档完事',
    rejected: '不予受理',
    duplicate: '重复诉求',
  },
  channels: {
    qr: '扫码提交',
    web: '网上自助',
    group: '群内反映',
    phone: '电话反映',
    visit: '走访发现',
    rider: '骑手随手拍',
    open311: '外部系统 (Open311)',
    hotline: '12345热线转办',
  },
  open311Groups: {
    repairs: '设施维修',
    fire_safety: '消防安全',
    order: '邻里与秩序',
    sanitation: '环境卫生',
    services: '为民服务',
    other: '其他',
  },
};

export const enNames: VocabularyNames = {
  levels: {
    district: 'District',
    street: 'Street',
    community: 'Community',
    grid: 'Grid',
    microgrid: 'Micro-grid',
  },
  kinds: {
    regular: 'Regular grid',
    school: 'School',
    hospital: 'Hospital',
    market: 'Market',
    enterprise: 'Enterprise',
  },
  roles: {
    street_admin: 'Street administrator',
    secretary: 'Community secretary',
    grid_leader: 'Grid leader',
    grid_worker: 'Grid worker',
    microgrid_leader: 'Micro-grid leader',
    party_household: 'Party household',
    mediator: 'Mediator',
  },
  poiCategories: {
    party_service_centre: 'Party-mass service centre',
    clinic: 'Clinic',
    pharmacy: 'Pharmacy',
    elderly_canteen: 'Elderly canteen',
    elderly_care: 'Elderly care',
    childrens_home: "Children's home",
    rider_station: 'Rider rest station',
    grid_home: 'Grid home',
    deliberation_corner: 'Deliberation corner',
    shared_toolbox: 'Shared toolbox',
    shop: 'Shop',
    supermarket: 'Supermarket',
    school: 'School',
    police: 'Police office',
    ebike_charging: 'E-bike charging',
    ebike_parking: 'E-bike parking',
  },
  requestCategories: {
    blocked_drain: 'Blocked drain',
    street_light: 'Street light',
    neighbour_dispute: 'Neighbour dispute',
    flying_wire_charging: 'Flying-wire charging',
    clutter: 'Clutter',
    parking: 'Parking',
    leaking_roof: 'Leaking roof',
    elderly_help: 'Elderly help',
    sanitation: 'Sanitation',
    heating: 'Heating',
    noise: 'Noise',
    facility_repair: 'Facility repair',
    other: 'Other',
  },
  statuses: {
    collected: 'Collected',
    claimed: 'Claimed',
    deliberating: 'Deliberating',
    resolving: 'Resolving',
    resolved: 'Resolved',
    revisited: 'Revisited',
    archived: 'Archived',
    rejected: 'Rejected',
    duplicate: 'Duplicate',
  },
  channels: {
    web: 'Online (self-service)',
    qr: 'QR code',
    group: 'Group chat',
    phone: 'Phone',
    visit: 'Field visit',
    rider: 'Rider report',
    open311: 'Other system (Open311)',
    hotline: '12345 hotline transfer',
  },
  open311Groups: {
    repairs: 'Repairs',
    fire_safety: 'Fire safety',
    order: 'Neighbours and order',
    sanitation: 'Sanitation',
    services: 'Services for residents',
    other: 'Other',
  },
};

export const names = { 'zh-CN': zhCNNames, en: enNames } as const;
