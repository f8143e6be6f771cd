import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDemoFiles } from './generate.ts';
import { demo } from './testkit.ts';

const DIR = join(import.meta.dirname, '..', '..', 'data', 'demo');
const FILES = ['areas', 'compounds', 'gates', 'buildings', 'entrances', 'roads', 'landuse', 'pois', 'staff', 'requests'].map((n) => `${n}.geojson`);

describe('demo data generator', () => {
  it('writes every file of the contract, and the README', () => {
    expect(Object.keys(demo().files).sort()).toEqual([...FILES, 'README.md'].sort());
    expect(demo().files['README.md']).toContain('fictional data, generated');
  });

  it('is deterministic: two runs give byte-identical files', () => {
    const again = generateDemoFiles();
    for (const [name, text] of Object.entries(demo().files)) expect(again[name], name).toBe(text);
  });

  it('matches the committed files in data/demo (run `npx tsx scripts/make-demo-data.ts` after changes)', () => {
    for (const [name, text] of Object.entries(demo().files)) {
      const path = join(DIR, name);
      if (!existsSync(path)) continue;
      expect(readFileSync(path, 'utf8') === text, `${name} is stale`).toBe(true);
    }
  });

  it('writes one feature per line', () => {
    for (const name of FILES) {
      const lines = demo().files[name].trimEnd().split('\n');
      expect(lines.length - 2).toBe(demo().layers[name.replace('.geojson', '')].length);
    }
  });
});
