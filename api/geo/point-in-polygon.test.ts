import { describe, expect, it } from 'vitest';
import { BOUNDARY, flatten, INSIDE, OUTSIDE, pointInMultiPolygon } from './point-in-polygon.ts';
import { readReference } from '../../tests/helpers/reference.ts';
import { postgisPointCases } from '../../tests/helpers/postgis-cases.ts';

const boundaryTable = readReference('turf/turf-boolean-point-in-polygon/boundary_cases_from_test_ts.json');

function classify(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon, [x, y]: number[]) {
  const coords = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return pointInMultiPolygon(flatten(coords), x, y);
}

describe('point in polygon, boundary counted as inside (ST_Covers semantics)', () => {
  it.each(boundaryTable.cases as any[])('agrees with Turf’s boundary table, case $index ($polygon at $point)', (c) => {
    const where = classify(boundaryTable.polygons[c.polygon], c.point);
    expect(where !== OUTSIDE).toBe(c.expected.ignoreBoundaryFalse);
    expect(where === INSIDE).toBe(c.expected.ignoreBoundaryTrue);
  });

  it.each(postgisPointCases())('agrees with PostGIS regression case $name', (c) => {
    const where = pointInMultiPolygon(flatten([c.polygon]), c.point[0], c.point[1]);
    expect(where !== OUTSIDE).toBe(c.covers);
  });

  it('puts a point in a hole outside, and one on the hole’s edge on the boundary', () => {
    const feature = readReference('turf/turf-boolean-point-in-polygon/test/in/poly-with-hole.geojson');
    const hole: number[][] = feature.geometry.coordinates[1];
    const inHole = [hole.slice(0, -1).reduce((s, p) => s + p[0], 0) / (hole.length - 1), hole.slice(0, -1).reduce((s, p) => s + p[1], 0) / (hole.length - 1)];
    expect(classify(feature.geometry, inHole)).toBe(OUTSIDE);
    expect(classify(feature.geometry, hole[0])).toBe(BOUNDARY);
    expect(classify(feature.geometry, feature.geometry.coordinates[0][2])).toBe(BOUNDARY);
  });

  it('finds a point in the second polygon of a multipolygon with holes', () => {
    const feature = readReference('turf/turf-boolean-point-in-polygon/test/in/multipoly-with-hole.geojson');
    const second: number[][] = feature.geometry.coordinates[1][0];
    expect(classify(feature.geometry, second[0])).toBe(BOUNDARY);
    expect(classify(feature.geometry, [second[0][0] + 1e3, second[0][1]])).toBe(OUTSIDE);
  });
});
