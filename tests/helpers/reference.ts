import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/reference beside the checkout (CI puts shared/ there too); REFERENCE_DIR overrides. */
export const referenceDir = resolve(process.env.REFERENCE_DIR ?? join(import.meta.dirname, '../../../shared/reference'));

export function readReference<T = any>(path: string): T {
  const file = join(referenceDir, path);
  if (!existsSync(file)) throw new Error(`reference fixture missing: ${file} (set REFERENCE_DIR to shared/reference)`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Turf's boolean fixtures: every .geojson under test/true and test/false of a package. */
export function turfCases(pkg: string): { name: string; expected: boolean; data: any }[] {
  const cases: { name: string; expected: boolean; data: any }[] = [];
  for (const expected of [true, false]) {
    const dir = join(referenceDir, 'turf', pkg, 'test', String(expected));
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.geojson')) cases.push({ name: join(d, e.name).slice(dir.length + 1), expected, data: JSON.parse(readFileSync(join(d, e.name), 'utf8')) });
      }
    };
    if (existsSync(dir)) walk(dir);
  }
  return cases;
}
