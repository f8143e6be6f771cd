// The names and definitions of the 三率 as people read them, in each language: written beside every
// figure on /rates (web/src/lib/i18n spreads them into its messages) and into the monthly report
// (api/rates/monthly-report.ts), so the page and the spreadsheet say the same thing. The rule
// itself is api/rates/rates.ts.

export type RateKey = 'response' | 'resolution' | 'satisfaction';

export type RateNames = {
  rates: Record<RateKey, { name: string; definition: string }>;
  counts: {
    filed: string; refused: string; open: string; overdueOpen: string; resolved: string; notYetDue: string;
    met: string; due: string;
  };
  refusedNote: string;
  cohortNote: string;
  unassigned: string;
  wholeInstallation: string;
  report: {
    title: (area: string, month: string) => string;
    generated: string;
    sheets: { summary: string; parts: string; workers: string; trend: string; definitions: string; work: string };
    part: string; worker: string; month: string; rate: string; figure: string; value: string;
    /** the sheet of the month's work (api/rates/work-report.ts): headings and columns */
    work: {
      needs: string; needColumns: string[]; projects: string; projectColumns: string[]; wishes: string; care: string; careColumns: string[];
      visits: string; visitRows: { visits: string; households: string; buildings: string; findingsFiled: string; patrols: string; zeroDays: string };
      none: string;
    };
  };
};

export const zhCNRateNames: RateNames = {
  rates: {
    response: {
      name: '响应率',
      definition: '在认领时限内认领（或派单）的诉求 ÷ 应当认领的诉求（已认领的，和认领时限已过仍未认领的）。超时未认领的计入分母。',
    },
    resolution: {
      name: '按期解决率',
      definition: '在办结时限内办结的诉求 ÷ 应当办结的诉求（已办结的，和办结时限已过仍未办结的）。超期未办结的计入分母；居民不满意重新办理的，按新时限重新计算。',
    },
    satisfaction: {
      name: '满意率',
      definition: '居民评价 3 星及以上（基本满意、满意）的诉求 ÷ 已评价的诉求。未评价的不计入。',
    },
  },
  counts: {
    filed: '受理', refused: '不予受理/重复', open: '办理中', overdueOpen: '超期未办', resolved: '已办结', notYetDue: '未到期',
    met: '达标', due: '应计',
  },
  refusedNote: '不予受理和重复的诉求不计入三率，单独列出。',
  cohortNote: '统计对象：在所选期间内提交的诉求，按当前办理情况计算。',
  unassigned: '（未认领）',
  wholeInstallation: '全部辖区',
  report: {
    title: (area, month) => `${area} ${month.slice(0, 4)}年${Number(month.slice(5, 7))}月 网格化服务管理月报`,
    generated: '生成时间',
    sheets: { summary: '概览', parts: '分区三率', workers: '网格员三率', trend: '近12个月趋势', definitions: '指标说明', work: '清单台账走访' },
    part: '区域', worker: '网格员', month: '月份', rate: '比率', figure: '指标', value: '数值',
    work: {
      needs: '群众需求清单', needColumns: ['网格', '类别', '需求', '户数', '状态', '对应项目'],
      projects: '项目服务清单', projectColumns: ['项目', '状态', '开始', '结束', '参与人数', '成效', '本月进展'],
      wishes: '微心愿', care: '关爱台账（户数）', careColumns: ['管理方式', '分级', '户数', '本月已走访'],
      visits: '走访巡查（本月）',
      visitRows: { visits: '走访次数', households: '走访关爱户', buildings: '走访楼栋', findingsFiled: '发现转为诉求', patrols: '巡查次数', zeroDays: '零上报' },
      none: '（无）',
    },
  },
};

export const enRateNames: RateNames = {
  rates: {
    response: {
      name: 'Response rate',
      definition: 'Requests claimed (or dispatched) within their claim deadline ÷ requests due to be claimed (claimed ones, and unclaimed ones past the deadline). An unclaimed overdue request counts in the denominator.',
    },
    resolution: {
      name: 'On-time resolution rate',
      definition: 'Requests resolved within their resolve deadline ÷ requests due to be resolved (resolved ones, and open ones past the deadline). Open overdue requests count in the denominator; a request reopened after a poor rating is judged against its new deadline.',
    },
    satisfaction: {
      name: 'Satisfaction rate',
      definition: 'Requests the resident rated 3 stars or more ÷ rated requests. Unrated ones are not counted.',
    },
  },
  counts: {
    filed: 'Filed', refused: 'Rejected/duplicate', open: 'Open', overdueOpen: 'Open, overdue', resolved: 'Resolved', notYetDue: 'Not yet due',
    met: 'Met', due: 'Due',
  },
  refusedNote: 'Rejected and duplicate requests are outside the three rates and listed on their own.',
  cohortNote: 'Counted: requests filed in the chosen period, as they stand now.',
  unassigned: '(unclaimed)',
  wholeInstallation: 'Whole installation',
  report: {
    title: (area, month) => `${area} monthly report on grid services, ${month}`,
    generated: 'Generated',
    sheets: { summary: 'Summary', parts: 'Rates by area', workers: 'Rates by worker', trend: '12-month trend', definitions: 'Definitions', work: 'Lists, care, visits' },
    part: 'Area', worker: 'Worker', month: 'Month', rate: 'Rate', figure: 'Figure', value: 'Value',
    work: {
      needs: 'Needs', needColumns: ['Grid', 'Kind', 'Need', 'Households', 'Status', 'Answered by'],
      projects: 'Projects', projectColumns: ['Project', 'Status', 'Starts', 'Ends', 'Taking part', 'Outcome', 'This month'],
      wishes: 'Small wishes', care: 'Care ledger (households)', careColumns: ['Scheme', 'Level', 'Households', 'Visited this month'],
      visits: 'Visits and patrols (this month)',
      visitRows: { visits: 'Visits', households: 'Care households visited', buildings: 'Buildings visited', findingsFiled: 'Findings filed as requests', patrols: 'Patrols', zeroDays: 'Nothing-to-report days' },
      none: '(none)',
    },
  },
};
