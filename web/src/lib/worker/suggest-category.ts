import type { RequestCategory } from '../../../../api/contract/vocabulary.ts';

// The category a message is most likely about, from the words residents use in a building's chat
// group or on the hotline (seeds/): a suggestion the worker confirms, never a decision. The first
// category whose words occur most often wins; none found → null (the worker picks).

const words: [RequestCategory, string[]][] = [
  ['flying_wire_charging', ['飞线', '拉线充电', '楼道充电', '电动车充电', '电瓶车充电', '充电线']],
  ['street_light', ['路灯', '灯不亮', '灯坏', '照明', '黑灯']],
  ['blocked_drain', ['下水道', '堵了', '堵塞', '污水', '反水', '化粪池', '马桶']],
  ['sanitation', ['垃圾', '卫生', '臭', '清运', '脏']],
  ['clutter', ['堆放', '杂物', '纸箱', '堆满', '占用楼道', '楼道堆']],
  ['leaking_roof', ['漏水', '渗水', '屋顶', '房顶']],
  ['parking', ['停车', '占道', '车位', '乱停']],
  ['noise', ['噪音', '吵', '装修声', '广场舞', '半夜']],
  ['heating', ['暖气', '供暖', '不热']],
  ['elderly_help', ['老人', '独居', '摔倒', '行动不便', '助餐']],
  ['neighbour_dispute', ['邻居', '纠纷', '吵架', '矛盾']],
  ['facility_repair', ['坏了', '维修', '破损', '电梯', '门禁', '健身器材']],
];

export function suggestCategory(text: string): RequestCategory | null {
  let best: RequestCategory | null = null;
  let bestCount = 0;
  for (const [category, list] of words) {
    const count = list.reduce((n, word) => n + (text.includes(word) ? 1 : 0), 0);
    if (count > bestCount) [best, bestCount] = [category, count];
  }
  return best;
}
