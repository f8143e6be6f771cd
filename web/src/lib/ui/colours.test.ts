import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Color } from '@maplibre/maplibre-gl-style-spec';
import { cssTokens } from './tokens.ts';

const WEB_SRC = join(import.meta.dirname, '..', '..');

/** The app's code, stylesheets and components (not the palette itself, nor tests), as text. */
function sources(): { file: string; text: string }[] {
  return readdirSync(WEB_SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(svelte|css|ts)$/.test(file) && !/(colours|\.test)\.ts$/.test(file))
    .map((file) => ({ file, text: readFileSync(join(WEB_SRC, file), 'utf8') }));
}

describe('the palette', () => {
  it('holds only colours MapLibre and the browser can parse', () => {
    for (const [name, value] of Object.entries(cssTokens())) expect(Color.parse(value), `${name}: ${value}`).toBeInstanceOf(Color);
  });

  it('defines every --gm- variable a stylesheet reads', () => {
    const defined = cssTokens();
    for (const { file, text } of sources()) {
      for (const [, name] of text.matchAll(/var\((--gm-[a-z0-9-]+)/g)) expect(defined, `${file} reads ${name}`).toHaveProperty([name]);
    }
  });

  it('is the only place a colour is written in hex: code reads the palette, stylesheets its tokens', () => {
    for (const { file, text } of sources()) expect(text.match(/#[0-9a-fA-F]{3,8}\b/g) ?? [], file).toEqual([]);
  });
});
