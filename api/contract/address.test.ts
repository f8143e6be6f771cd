import { describe, expect, it } from 'vitest';
import { buildingAndUnit } from './address.ts';

describe('the building and unit a rider types', () => {
  it('reads 3号楼2单元 as building 3, unit 2', () => {
    expect(buildingAndUnit('3号楼2单元')).toEqual({ building: '3', unit: 2 });
  });

  it('reads Chinese numerals, 栋 and full-width digits the same way', () => {
    expect(buildingAndUnit('三号楼二单元')).toEqual({ building: '3', unit: 2 });
    expect(buildingAndUnit('3栋2单元')).toEqual({ building: '3', unit: 2 });
    expect(buildingAndUnit('３号楼２单元')).toEqual({ building: '3', unit: 2 });
  });

  it("reads the riders' 3-2 as building 3, unit 2", () => {
    expect(buildingAndUnit('3-2')).toEqual({ building: '3', unit: 2 });
  });

  it('leaves the unit out when only the building is named, after the compound name too', () => {
    expect(buildingAndUnit('十号院 12号楼')).toEqual({ building: '12', unit: null });
  });

  it('finds no building in text that names none', () => {
    expect(buildingAndUnit('十号院')).toBeNull();
    expect(buildingAndUnit('')).toBeNull();
  });
});
