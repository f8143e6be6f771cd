import { describe, expect, it } from 'vitest';
import { Color, v8, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { LayerSpecification, LineLayerSpecification, StyleSpecification } from 'maplibre-gl';
import { mapStyle } from './style.ts';
import { themes, type Theme } from './theme.ts';
import { layerGroups, layerIdsOfGroup } from './groups.ts';
import { fontNames } from './fonts-spec.ts';
import { areaLabelMinZoom, areaMinZoom, tileLayerMinZoom } from '../../../../../api/contract/tiles.ts';
import type { AreaLevel } from '../../../../../api/contract/vocabulary.ts';

const ORIGIN = 'http://localhost:8080';

function makeStyle(theme: Theme): StyleSpecification {
  return mapStyle(theme, {
    tiles: { tiles: [`${ORIGIN}/api/tiles/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 16 },
    fontFaces: {
      [fontNames.regular[0]]: [{ url: `${ORIGIN}/fonts/a.woff2`, 'unicode-range': ['U+0-FF', 'U+4E00-9FFF'] }],
      [fontNames.bold[0]]: [{ url: `${ORIGIN}/fonts/b.woff2`, 'unicode-range': ['U+4E00-9FFF'] }],
    },
  });
}

const sourceOf = (layer: LayerSpecification) => ('source' in layer ? layer.source : undefined);

/** Every colour written in a layer's colour properties: the value itself, or the colours inside its expression. */
function paintedColours(layer: LayerSpecification): string[] {
  const spec = (v8 as unknown as Record<string, Record<string, { type: string }>>)[`paint_${layer.type}`];
  const colours: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string' && /^(#|rgba?\(|hsla?\()/i.test(value)) colours.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
  };
  for (const [name, value] of Object.entries(layer.paint ?? {})) {
    if (spec[name]?.type !== 'color') continue;
    if (typeof value === 'string') colours.push(value);
    else visit(value);
  }
  return colours;
}

describe.each(themes)('the %s theme', (theme) => {
  it('passes the MapLibre style validator', () => {
    expect(validateStyleMin(makeStyle(theme))).toEqual([]);
  });

  it('draws no tile layer, and no level of areas, at a zoom the tile server leaves it out', () => {
    for (const layer of makeStyle(theme).layers) {
      const sourceLayer = (layer as { 'source-layer'?: string })['source-layer'];
      if (!sourceLayer) continue;
      const from = layer.minzoom ?? 0;
      expect(from, layer.id).toBeGreaterThanOrEqual(tileLayerMinZoom[sourceLayer] ?? 0);
      const byLevel = sourceLayer === 'areas' ? areaMinZoom : sourceLayer === 'area_labels' ? areaLabelMinZoom : {};
      // the levels a layer's filter names: ["==", ["get", "level"], "microgrid"] and the like
      const levels = [...JSON.stringify((layer as { filter?: unknown }).filter ?? null).matchAll(/\["get","level"\],"(\w+)"/g)].map((m) => m[1]);
      for (const level of levels) expect(from, `${layer.id} (${level})`).toBeGreaterThanOrEqual(byLevel[level as AreaLevel] ?? 0);
    }
  });

  it('joins area outlines with miters: a round join is a fan of triangles at every vertex, the dearest part of a county frame drawn in software', () => {
    const outlines = makeStyle(theme).layers.filter((layer): layer is LineLayerSpecification => layer.type === 'line' && layer['source-layer'] === 'areas');
    expect(outlines.length).toBeGreaterThan(0);
    for (const layer of outlines) expect(layer.layout?.['line-join'], layer.id).toBe('miter');
  });

  it('gives every layer a unique id', () => {
    const ids = makeStyle(theme).layers.map((layer) => layer.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws every layer from a source the style declares', () => {
    const style = makeStyle(theme);
    for (const layer of style.layers) {
      if (layer.type === 'background') continue;
      expect(Object.keys(style.sources), layer.id).toContain(sourceOf(layer));
    }
  });

  it('declares no source that none of its layers draws from', () => {
    const style = makeStyle(theme);
    const used = new Set(style.layers.map(sourceOf));
    expect(Object.keys(style.sources).filter((source) => !used.has(source))).toEqual([]);
  });

  it('paints only colours MapLibre can parse', () => {
    for (const layer of makeStyle(theme).layers) {
      for (const colour of paintedColours(layer)) expect(Color.parse(colour), `${layer.id}: ${colour}`).toBeInstanceOf(Color);
    }
  });

  it('loads nothing from another host: no glyphs URL, no sprite, fonts and tiles from our origin', () => {
    const style = makeStyle(theme);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const fontUrls = Object.values(style['font-faces'] ?? {}).flatMap((faces) => (Array.isArray(faces) ? faces.map((f) => f.url) : [faces]));
    const sourceUrls = Object.values(style.sources).flatMap((source) => ('url' in source && source.url ? [source.url] : []));
    for (const url of [...fontUrls, ...sourceUrls]) expect(new URL(url).origin, url).toBe(ORIGIN);
  });

  it('writes text only in fonts that font-faces declares', () => {
    const style = makeStyle(theme);
    for (const layer of style.layers) {
      if (layer.type !== 'symbol' || !layer.layout?.['text-field']) continue;
      for (const font of layer.layout['text-font'] as string[]) expect(style['font-faces'], layer.id).toHaveProperty([font]);
    }
  });
});

describe('the day theme', () => {
  it('puts layers in every group the layer panel toggles', () => {
    const style = makeStyle('day');
    for (const group of layerGroups) expect(layerIdsOfGroup(style, group).length, group).toBeGreaterThan(0);
  });

  it('draws requests and their counts per area above everything but the community names, which stay readable over them', () => {
    const ids = makeStyle('day').layers.map((layer) => layer.id);
    expect(ids.slice(-5)).toEqual(['requests-halo', 'requests', 'request-areas', 'request-areas-count', 'communities-label']);
  });
});

describe('the wall theme', () => {
  it('shades grids by their load from feature-state, under the roads', () => {
    const ids = makeStyle('wall').layers.map((layer) => layer.id);
    expect(ids.indexOf('units-load')).toBeGreaterThan(-1);
    expect(ids.indexOf('units-load')).toBeLessThan(ids.indexOf('roads'));
  });

  it('draws live markers above everything else and the requests of the day map not at all', () => {
    const ids = makeStyle('wall').layers.map((layer) => layer.id);
    expect(ids.slice(-3)).toEqual(['live-overdue-halo', 'live-pulse', 'live-markers']);
    expect(ids).not.toContain('requests');
  });
});

describe('the circle theme', () => {
  it('shades buildings above the basemap and under every label', () => {
    const style = makeStyle('circle');
    const at = style.layers.findIndex((layer) => layer.id === 'circle-fill');
    expect(at).toBeGreaterThan(style.layers.findIndex((layer) => layer.id === 'buildings'));
    expect(style.layers.slice(0, at).filter((layer) => layer.type === 'symbol')).toEqual([]);
  });

  it('leaves out grid fills and requests, which would compete with the shading', () => {
    const ids = makeStyle('circle').layers.map((layer) => layer.id);
    expect(ids).not.toContain('grids-fill');
    expect(ids.filter((id) => id.startsWith('requests'))).toEqual([]);
  });
});

describe('the pin theme', () => {
  it('draws the pin above the numbered service points, above everything else', () => {
    const ids = makeStyle('pin').layers.map((layer) => layer.id);
    expect(ids.at(-1)).toBe('pin');
    expect(ids.indexOf('spots-label')).toBe(ids.length - 2);
  });
});
