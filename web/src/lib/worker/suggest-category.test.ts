import { describe, expect, it } from 'vitest';
import { suggestCategory } from './suggest-category.ts';

describe('suggestCategory', () => {
  it('reads a chat-group message about charging in the stairwell as flying-wire charging', () => {
    expect(suggestCategory('3号楼2单元又有人从窗户拉飞线给电动车充电，太危险了')).toBe('flying_wire_charging');
  });

  it('reads a blocked drain, a dark street light and clutter for what they are', () => {
    expect(suggestCategory('楼下下水道堵了，污水漫出来')).toBe('blocked_drain');
    expect(suggestCategory('小区门口路灯不亮好几天了')).toBe('street_light');
    expect(suggestCategory('楼道里堆满纸箱杂物')).toBe('clutter');
  });

  it('suggests nothing for words it does not know', () => {
    expect(suggestCategory('你好，请问社区几点上班')).toBeNull();
  });
});
