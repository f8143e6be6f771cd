import type { GeoJSON } from 'geojson';

/** One thing to fix (error) or to know (warning), at a JSON path such as `features[3].geometry`. */
export interface GeoJSONIssue {
  path: string; // '' is the root
  message: string;
}

export type GeoJSONValidation =
  | { ok: true; value: GeoJSON; warnings: GeoJSONIssue[] }
  | { ok: false; errors: GeoJSONIssue[]; warnings: GeoJSONIssue[] };

const geometryTypes = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'] as const;
const allTypes = [...geometryTypes, 'Feature', 'FeatureCollection'] as const;

/**
 * RFC 7946 checks for GeoJSON drawn in other tools, with messages a street administrator can act
 * on. MUSTs are errors; SHOULDs (right-hand winding, no single or nested GeometryCollections, no
 * positions beyond 3 numbers) are warnings: the data is accepted as it is.
 */
export function validateGeoJSON(input: unknown): GeoJSONValidation {
  const v = new Validator();
  v.object(input, '');
  return v.errors.length
    ? { ok: false, errors: v.errors, warnings: v.warnings }
    : { ok: true, value: input as GeoJSON, warnings: v.warnings };
}

/** JSON text → validation; a syntax error is reported like any other error. */
export function parseGeoJSON(text: string): GeoJSONValidation {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ path: '', message: `the file is not valid JSON (${reason}): check for a missing comma, quote or bracket near that position` }], warnings: [] };
  }
  return validateGeoJSON(input);
}

/** `path: message`, or the message alone at the root: one line of a report. */
export function formatIssue({ path, message }: GeoJSONIssue): string {
  return path ? `${path}: ${message}` : message;
}

// RFC 7946 §7.1: these members define a kind of object; others must not carry them
const forbidden: Record<string, string[]> = {
  Feature: ['coordinates', 'geometries', 'features'],
  FeatureCollection: ['coordinates', 'geometries', 'geometry', 'properties'],
  geometry: ['geometry', 'properties', 'features'],
};

class Validator {
  errors: GeoJSONIssue[] = [];
  warnings: GeoJSONIssue[] = [];

  private error(path: string, message: string) { this.errors.push({ path, message }); }
  private warn(path: string, message: string) { this.warnings.push({ path, message }); }

  object(value: unknown, path: string, expected: readonly string[] = allTypes): void {
    if (!isObject(value)) {
      this.error(path, `expected a GeoJSON object ({"type": …}), found ${describe(value)}`);
      return;
    }
    const type = value.type;
    if (type === undefined) {
      this.error(path, `the "type" member is missing: it must be one of ${expected.join(', ')}`);
      return;
    }
    if (typeof type !== 'string') {
      this.error(join(path, 'type'), `"type" must be a string, found ${describe(type)}`);
      return;
    }
    if (!expected.includes(type)) {
      const hint = suggest(type, expected);
      const known = (allTypes as readonly string[]).includes(type);
      this.error(join(path, 'type'), known
        ? `a ${type} is not allowed here: expected ${expected.join(' or ')}`
        : `unknown type "${type}"${hint ? `: did you mean "${hint}"? (types are case-sensitive)` : `: expected one of ${expected.join(', ')}`}`);
      return;
    }
    this.bbox(value, path);
    if (type === 'FeatureCollection') this.featureCollection(value, path);
    else if (type === 'Feature') this.feature(value, path);
    else this.geometry(value, path);
  }

  private forbid(value: Record<string, unknown>, path: string, kind: string, label: string) {
    for (const member of forbidden[kind]) {
      if (member in value) this.error(join(path, member), `a ${label} must not have a "${member}" member (RFC 7946 §7.1): remove it or rename it`);
    }
  }

  private featureCollection(value: Record<string, unknown>, path: string) {
    this.forbid(value, path, 'FeatureCollection', 'FeatureCollection');
    const features = value.features;
    if (!('features' in value)) return this.error(path, 'a FeatureCollection needs a "features" member: a list of Features');
    if (!Array.isArray(features)) return this.error(join(path, 'features'), `"features" must be a list ([…]) of Features, found ${describe(features)}`);
    features.forEach((f, i) => this.object(f, `${join(path, 'features')}[${i}]`, ['Feature']));
  }

  private feature(value: Record<string, unknown>, path: string) {
    this.forbid(value, path, 'Feature', 'Feature');
    if ('id' in value && typeof value.id !== 'string' && !(typeof value.id === 'number' && Number.isFinite(value.id))) {
      this.error(join(path, 'id'), `a Feature "id" must be a string or a number, found ${describe(value.id)}`);
    }
    if (!('properties' in value)) this.error(path, 'a Feature needs a "properties" member: an object, or null');
    else if (value.properties !== null && !isObject(value.properties)) {
      this.error(join(path, 'properties'), `"properties" must be an object ({…}) or null, found ${describe(value.properties)}`);
    }
    if (!('geometry' in value)) this.error(path, 'a Feature needs a "geometry" member: a geometry object, or null');
    else if (value.geometry !== null) this.object(value.geometry, join(path, 'geometry'), geometryTypes);
  }

  private geometry(value: Record<string, unknown>, path: string) {
    this.forbid(value, path, 'geometry', `${value.type} geometry`);
    const type = value.type as (typeof geometryTypes)[number];
    if (type === 'GeometryCollection') {
      if ('coordinates' in value) this.error(join(path, 'coordinates'), 'a GeometryCollection has "geometries", not "coordinates"');
      const geometries = value.geometries;
      if (!('geometries' in value)) return this.error(path, 'a GeometryCollection needs a "geometries" member: a list of geometries');
      if (!Array.isArray(geometries)) return this.error(join(path, 'geometries'), `"geometries" must be a list of geometries, found ${describe(geometries)}`);
      if (geometries.length === 1) this.warn(join(path, 'geometries'), 'a GeometryCollection of one geometry should be that geometry alone (RFC 7946 §3.1.8)');
      geometries.forEach((g, i) => {
        const at = `${join(path, 'geometries')}[${i}]`;
        if (isObject(g) && g.type === 'GeometryCollection') this.warn(at, 'nested GeometryCollections should be avoided (RFC 7946 §3.1.8): flatten them');
        this.object(g, at, geometryTypes);
      });
      return;
    }
    if ('geometries' in value) this.error(join(path, 'geometries'), `a ${type} has "coordinates", not "geometries"`);
    if (!('coordinates' in value)) return this.error(path, `a ${type} needs a "coordinates" member`);
    const c = value.coordinates;
    const at = join(path, 'coordinates');
    // RFC 7946 §3.1: an empty "coordinates" list is allowed (an empty geometry), except for a Point
    if (Array.isArray(c) && c.length === 0 && type !== 'Point' && type !== 'LineString') return;
    switch (type) {
      case 'Point': return this.position(c, at);
      case 'MultiPoint': return this.list(c, at, 'positions', (p, a) => this.position(p, a));
      case 'LineString': return this.line(c, at);
      case 'MultiLineString': return this.list(c, at, 'lines', (l, a) => this.line(l, a));
      case 'Polygon': return this.polygon(c, at);
      case 'MultiPolygon': return this.list(c, at, 'polygons', (p, a) => this.polygon(p, a));
    }
  }

  /** A list whose items are themselves lists; says how to fix a list nested too shallowly. */
  private list(value: unknown, path: string, what: string, item: (v: unknown, path: string) => void): boolean {
    if (!Array.isArray(value)) {
      this.error(path, `expected a list of ${what} ([…]), found ${describe(value)}`);
      return false;
    }
    let ok = true;
    value.forEach((v, i) => {
      if (!Array.isArray(v)) {
        ok = false;
        this.error(`${path}[${i}]`, `expected one of the ${what} (a list [ … ]), found ${describe(v)}: this needs one more level of [ ]`);
      } else {
        const before = this.errors.length;
        item(v, `${path}[${i}]`);
        if (this.errors.length > before) ok = false;
      }
    });
    return ok;
  }

  private position(value: unknown, path: string): boolean {
    if (!Array.isArray(value)) {
      this.error(path, `a position must be a list [longitude, latitude], found ${describe(value)}`);
      return false;
    }
    if (value.length < 2) {
      this.error(path, `a position needs 2 numbers [longitude, latitude] (optionally a 3rd, the height), found ${value.length}`);
      return false;
    }
    let ok = true;
    value.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        ok = false;
        this.error(`${path}[${i}]`, `each element of a position must be a number, found ${describe(x)}${typeof x === 'string' ? ': remove the quotes' : ''}`);
      }
    });
    if (!ok) return false;
    const [lon, lat] = value as number[];
    const swapped = Math.abs(lon) <= 90 && Math.abs(lat) <= 180 && Math.abs(lat) > 90 ? ': it looks like [latitude, longitude], swap them' : '';
    if (lon < -180 || lon > 180) {
      ok = false;
      this.error(path, `longitude ${lon} is outside [-180, 180]: positions are degrees [longitude, latitude] (WGS84, GCJ-02 or BD-09), not projected metres`);
    }
    if (lat < -90 || lat > 90) {
      ok = false;
      this.error(path, `latitude ${lat} is outside [-90, 90]${swapped || ': positions are degrees [longitude, latitude], not projected metres'}`);
    }
    if (value.length > 3) this.warn(path, `a position should have at most 3 numbers (longitude, latitude, height), found ${value.length}: the extra ones are ignored`);
    return ok;
  }

  private line(value: unknown, path: string) {
    if (!this.list(value, path, 'positions', (p, a) => this.position(p, a))) return;
    if ((value as unknown[]).length < 2) this.error(path, `a LineString needs at least 2 positions, found ${(value as unknown[]).length}`);
  }

  private polygon(value: unknown, path: string) {
    this.list(value, path, 'linear rings', (ring, at) => {
      if (!this.list(ring, at, 'positions', (p, a) => this.position(p, a))) return;
      const positions = ring as number[][];
      const first = positions[0];
      const last = positions[positions.length - 1];
      const closed = positions.length > 0 && first.length === last.length && first.every((x, i) => x === last[i]);
      if (positions.length < 4 || !closed) {
        this.error(at, `a linear ring needs at least 4 positions, the last equal to the first${closed ? `: found ${positions.length}` : `: ${positions.length < 4 ? `found ${positions.length}, and ` : ''}the last position ${JSON.stringify(last)} differs from the first ${JSON.stringify(first)} — repeat the first position at the end`}`);
        return;
      }
      // RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise — a SHOULD
      const exterior = at.endsWith('[0]');
      const area = signedArea(positions);
      if (area !== 0 && (area > 0) !== exterior) {
        this.warn(at, `this ${exterior ? 'exterior ring' : 'hole'} runs ${exterior ? 'clockwise' : 'counter-clockwise'}; RFC 7946 asks for the right-hand rule (exterior counter-clockwise, holes clockwise): accepted as it is`);
      }
    });
  }

  bbox(value: Record<string, unknown>, path: string) {
    if (!('bbox' in value)) return;
    const b = value.bbox;
    const at = join(path, 'bbox');
    if (!Array.isArray(b)) return this.error(at, `"bbox" must be a list of 4 numbers [west, south, east, north] (or 6 with heights), found ${describe(b)}`);
    if (b.length !== 4 && b.length !== 6) this.error(at, `"bbox" must have 4 numbers [west, south, east, north] (or 6 with heights), found ${b.length}`);
    b.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) this.error(`${at}[${i}]`, `each element of "bbox" must be a number, found ${describe(x)}`);
    });
  }
}

/** Twice the signed area in degrees² (shoelace): positive for counter-clockwise. */
function signedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return sum;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const join = (path: string, member: string) => (path ? `${path}.${member}` : member);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? 'a list' : 'an empty list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** The expected type closest to a misspelt one (case-insensitive, edit distance ≤ 2). */
function suggest(type: string, expected: readonly string[]): string | undefined {
  const t = type.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const e of expected) {
    const d = distance(t, e.toLowerCase());
    if (d < bestDistance) { best = e; bestDistance = d; }
  }
  return best;
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}
