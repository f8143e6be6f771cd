import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import { navigationLinks } from './navigation.ts';

// A point in the demo street (Jiaozuo), WGS84.
const lon = 113.22611;
const lat = 35.22423;

const params = (url: string) => new URL(url).searchParams;

describe('navigation links', () => {
  it('hands Amap the GCJ-02 point, longitude first, marked as gaode coordinates', () => {
    const amap = params(navigationLinks(lon, lat, '3号楼').amap);
    const [gLon, gLat] = amap.get('position')!.split(',').map(Number);
    const [eLon, eLat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
    expect(gLon).toBeCloseTo(eLon, 6);
    expect(gLat).toBeCloseTo(eLat, 6);
    expect(amap.get('coordinate')).toBe('gaode');
    expect(amap.get('name')).toBe('3号楼');
  });

  it('hands Baidu the BD-09 point, latitude first, as bd09ll', () => {
    const baidu = params(navigationLinks(lon, lat, '十号院 3号楼').baidu);
    const [bLat, bLon] = baidu.get('location')!.split(',').map(Number);
    const [eLon, eLat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.BD09);
    expect(bLon).toBeCloseTo(eLon, 6);
    expect(bLat).toBeCloseTo(eLat, 6);
    expect(baidu.get('coord_type')).toBe('bd09ll');
    expect(baidu.get('title')).toBe('十号院 3号楼');
  });

  it('moves the point by the few hundred metres the obfuscation adds in China, not by nothing', () => {
    const amap = params(navigationLinks(lon, lat, 'x').amap);
    const [gLon, gLat] = amap.get('position')!.split(',').map(Number);
    const metres = Math.hypot((gLon - lon) * 111_320 * Math.cos((lat * Math.PI) / 180), (gLat - lat) * 110_540);
    expect(metres).toBeGreaterThan(100);
    expect(metres).toBeLessThan(1000);
  });

  it('keeps a hostile name inside its parameter', () => {
    const links = navigationLinks(lon, lat, 'a&coordinate=wgs84#x');
    expect(params(links.amap).get('coordinate')).toBe('gaode');
    expect(params(links.amap).get('name')).toBe('a&coordinate=wgs84#x');
    expect(params(links.baidu).get('coord_type')).toBe('bd09ll');
  });
});
