import gcoord from 'gcoord';

/**
 * A boundary file as a Chinese web map exports it: GCJ-02, quantised to 6 decimals (≈0.1 m), a
 * ring that crosses itself (a bow-tie twist), two sibling communities overlapping by 1 ha and a
 * 20 m² notch left between a community and its street. Drawn in metres east/north of a point
 * far from the demo, then shifted to GCJ-02 as Amap would show it.
 */
const origin = [113.5, 35.5];
export const toWgs84 = ([x, y]: number[]) => [origin[0] + x / (111_320 * Math.cos((origin[1] * Math.PI) / 180)), origin[1] + y / 110_574];
const exported = (ring: number[][]) => ring.map((p) => gcoord.transform(toWgs84(p) as [number, number], gcoord.WGS84, gcoord.GCJ02).map((v) => Math.round(v * 1e6) / 1e6));
const area = (id: string, level: string, parentId: string | null, ring: number[][]) => ({
  type: 'Feature', properties: { id, level, name: id, parentId }, geometry: { type: 'Polygon', coordinates: [exported(ring)] },
});
export const file = () => ({
  type: 'FeatureCollection',
  features: [
    area('RP-S', 'street', null, [[0, 0], [1000, 0], [1000, 1000], [0, 1000], [0, 0]]),
    // 510 m wide (51 ha), reaching 10 m into B; its west edge twists into a bow-tie at y = 500
    area('RP-A', 'community', 'RP-S', [[0, 0], [510, 0], [510, 1000], [0, 1000], [0, 502], [2, 500], [2, 502], [0, 500], [0, 0]]),
    // 500 m wide less a 20 m² notch at the top: the gap only B borders
    area('RP-B', 'community', 'RP-S', [[500, 0], [1000, 0], [1000, 1000], [705, 1000], [700, 996], [695, 1000], [500, 1000], [500, 0]]),
  ],
});
