import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceDir } from '../../tests/helpers/reference.ts';
import { formatIssue, parseGeoJSON, validateGeoJSON } from './geojson.ts';

const root = join(referenceDir, 'geojson');

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (ext.test(e.name)) out.push(join(d, e.name));
    }
  };
  walk(join(root, dir));
  return out.sort();
}
const name = (file: string) => relative(root, file);
const read = (file: string) => parseGeoJSON(readFileSync(file, 'utf8'));

describe('validateGeoJSON against the reference fixtures', () => {
  it('finds the fixtures', () => {
    expect(existsSync(root), `${root} is missing: set REFERENCE_DIR to shared/reference`).toBe(true);
  });

  // geojsonhint checks structure only; issue82.geojson (its regression file for a structural bug)
  // has made-up positions such as [-259.59, -109.20]. RFC 7946 §4 positions are WGS84 degrees,
  // so we refuse it, and say which positions are out of range.
  const outOfRange = 'geojsonhint/good/issue82.geojson';
  const valid = [...files('geojson-schema/valid', /\.json$/), ...files('geojson-fixtures', /\.geojson$/), ...files('geojsonhint/good', /\.geojson$/)]
    .filter((f) => name(f) !== outOfRange);
  it.each(valid.map((f) => [name(f), f]))('accepts %s', (_, file) => {
    const result = read(file);
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([]);
  });

  it(`refuses ${outOfRange}: its positions lie outside [-180, 180] × [-90, 90]`, () => {
    const result = read(join(root, outOfRange));
    expect(result.ok).toBe(false);
    if (!result.ok) for (const e of result.errors) expect(e.message).toMatch(/(longitude|latitude) -?[\d.]+ is outside/);
  });

  it.each(files('geojson-schema/invalid', /\.json$/).map((f) => [name(f), f]))('rejects %s', (_, file) => {
    const result = read(file);
    expect(result.ok).toBe(false);
    if (!result.ok) for (const e of result.errors) expect(e.message.length).toBeGreaterThan(20);
  });

  // geojsonhint's bad/ mixes errors with advice: its .result files mark advice with
  // "level": "message" or word it as "should be avoided". RFC 7946 makes those SHOULDs, so we
  // accept the file and warn. Every other bad/ file has an error-level result and is refused.
  const verdicts: Record<string, { verdict: 'accept' | 'warn'; why: string }> = {
    'polygon_winding_order': { verdict: 'warn', why: 'right-hand rule is a SHOULD (RFC 7946 §3.1.6); .result level "message"' },
    'bad-polygon-interiorring-rhr': { verdict: 'warn', why: 'a counter-clockwise hole breaks only the SHOULD of §3.1.6; .result level "message"' },
    'point-toomany': { verdict: 'warn', why: 'positions SHOULD NOT exceed 3 numbers (§3.1.1); .result level "message"' },
    'geometrycollection_single': { verdict: 'warn', why: 'a one-geometry GeometryCollection SHOULD be avoided (§3.1.8)' },
    'geometrycollection_nested': { verdict: 'warn', why: 'nested GeometryCollections SHOULD be avoided (§3.1.8)' },
    'excessive_precision_truncated': { verdict: 'accept', why: 'its .result is empty: 10 decimals are legal' },
  };
  const bad = files('geojsonhint/bad', /\.geojson$/);

  it('has a .result for every bad/ file, and a verdict for every advice-only one', () => {
    for (const file of bad) {
      const result: { message: string; level?: string }[] = JSON.parse(readFileSync(file.replace(/\.geojson$/, '.result'), 'utf8'));
      const base = name(file).split('/').pop()!.replace(/\.geojson$/, '');
      const adviceOnly = result.every((r) => r.level === 'message' || /should (be )?avoid/.test(r.message));
      expect(adviceOnly, `${base}: ${JSON.stringify(result)}`).toBe(base in verdicts);
    }
  });

  it.each(bad.map((f) => [name(f), f]))('judges %s as its .result says', (label, file) => {
    const base = label.split('/').pop()!.replace(/\.geojson$/, '');
    const result = read(file);
    const expected = (verdicts[base]?.verdict ?? 'reject') as 'accept' | 'warn' | 'reject';
    if (expected === 'reject') {
      expect(result.ok, `expected errors like ${readFileSync(file.replace(/\.geojson$/, '.result'), 'utf8').slice(0, 200)}`).toBe(false);
    } else {
      expect(result.ok ? [] : result.errors.map(formatIssue), verdicts[base].why).toEqual([]);
      expect(result.warnings.length > 0, verdicts[base].why).toBe(expected === 'warn');
    }
  });
});

describe('validateGeoJSON messages', () => {
  const square = [[113, 35], [113.01, 35], [113.01, 35.01], [113, 35.01], [113, 35]];
  const feature = (geometry: unknown, properties: unknown = {}) => ({ type: 'Feature', properties, geometry });

  it('names the path of an open ring and says how to close it', () => {
    const fc = { type: 'FeatureCollection', features: [feature(null), feature(null), feature(null), feature({ type: 'Polygon', coordinates: [square.slice(0, 4)] })] };
    const result = validateGeoJSON(fc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatIssue)).toEqual([
      expect.stringMatching(/^features\[3\]\.geometry\.coordinates\[0\]: a linear ring needs at least 4 positions, the last equal to the first.*repeat the first position/),
    ]);
  });

  it('lists every error, not just the first', () => {
    const result = validateGeoJSON({
      type: 'FeatureCollection',
      features: [feature({ type: 'Point', coordinates: [200, 35] }), { type: 'Feature', id: true, properties: [], geometry: { type: 'LineString', coordinates: [[1, 2]] } }],
    });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([
      'features[0].geometry.coordinates', 'features[1].id', 'features[1].properties', 'features[1].geometry.coordinates',
    ]);
  });

  it('spots swapped latitude and longitude', () => {
    const result = validateGeoJSON({ type: 'Point', coordinates: [35.2, 113.2] });
    expect(result.ok ? '' : result.errors[0].message).toMatch(/swap them/);
  });

  it('suggests the type a misspelt one meant', () => {
    const result = validateGeoJSON({ type: 'Polgon', coordinates: [square] });
    expect(result.ok ? '' : formatIssue(result.errors[0])).toBe('type: unknown type "Polgon": did you mean "Polygon"? (types are case-sensitive)');
  });

  it('accepts a clockwise exterior ring with a warning at its path', () => {
    const result = validateGeoJSON(feature({ type: 'MultiPolygon', coordinates: [[square], [[...square].reverse()]] }));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(['geometry.coordinates[1][0]']);
    expect(result.warnings[0].message).toMatch(/clockwise.*right-hand rule/);
  });

  it('refuses a bbox of the wrong length and a position of strings', () => {
    const result = validateGeoJSON({ type: 'Point', bbox: [1, 2, 3], coordinates: ['113', 35] });
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([
      expect.stringMatching(/^bbox: "bbox" must have 4 numbers/),
      expect.stringMatching(/^coordinates\[0\]: .*must be a number.*remove the quotes/),
    ]);
  });

  it('reports JSON syntax errors as errors', () => {
    const result = parseGeoJSON('{"type": "Point" "coordinates": [1, 2]}');
    expect(result.ok ? '' : result.errors[0].message).toMatch(/not valid JSON/);
  });
});
