import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import type { StyleSpecification } from 'maplibre-gl';
import { gridMapStyle, layerIdsOfGroup } from './style.ts';
import { fontNames } from './fonts-spec.ts';

const fontFaces = {
  [fontNames.regular[0]]: [{ url: 'http://localhost/fonts/a.woff2', 'unicode-range': ['U+0-FF', 'U+4E00-9FFF'] }],
  [fontNames.bold[0]]: [{ url: 'http://localhost/fonts/b.woff2', 'unicode-range': ['U+4E00-9FFF'] }],
};

function makeStyle(): StyleSpecification {
  return gridMapStyle({ tilesUrl: 'http://localhost:8080/api/tiles.json', fontFaces });
}

describe('gridMapStyle', () => {
  it('passes the MapLibre style validator', () => {
    expect(validateStyleMin(makeStyle())).toEqual([]);
  });

  it('gives every layer a unique id', () => {
    const ids = makeStyle().layers.map((layer) => layer.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws every layer from a source the style declares', () => {
    const style = makeStyle();
    for (const layer of style.layers) {
      if (layer.type === 'background') continue;
      expect(Object.keys(style.sources), layer.id).toContain(layer.source);
    }
  });

  it('loads nothing from another host: no glyphs URL and no sprite', () => {
    const style = makeStyle();
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
  });

  it('writes text only in fonts that font-faces declares', () => {
    const style = makeStyle();
    for (const layer of style.layers) {
      if (layer.type !== 'symbol' || !layer.layout?.['text-field']) continue;
      for (const font of layer.layout['text-font'] as string[]) expect(style['font-faces'], layer.id).toHaveProperty([font]);
    }
  });

  it('puts every layer a panel toggle controls into a known group', () => {
    const style = makeStyle();
    for (const group of ['grids', 'microgrids', 'pois', 'requests', 'buildings']) {
      expect(layerIdsOfGroup(style, group).length, group).toBeGreaterThan(0);
    }
  });
});
