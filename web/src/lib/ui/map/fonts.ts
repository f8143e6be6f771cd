import type { FontFacesSpecification } from 'maplibre-gl';
import { fontNames } from './fonts-spec.ts';
// Fontsource splits Noto Sans SC into ~100 woff2 slices, each with its `unicode-range`. Vite copies
// the slices into the build and we hand them to the style's `font-faces`, so MapLibre downloads
// only the slices a label needs, from our own origin, and needs no CJK font on the machine.
import regularCss from '@fontsource/noto-sans-sc/400.css?raw';
import boldCss from '@fontsource/noto-sans-sc/700.css?raw';

const fileUrls = import.meta.glob('../../../../../node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-[0-9]*-{400,700}-normal.woff2', {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const urlByFileName = new Map(Object.entries(fileUrls).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]));

type FaceDeclaration = { url: string; 'unicode-range': string[] };

/** Reads the `@font-face` rules of a Fontsource CSS file into font-face declarations. */
export function parseFontsourceCss(css: string, resolve: (fileName: string) => string | undefined): FaceDeclaration[] {
  const faces: FaceDeclaration[] = [];
  for (const rule of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(rule)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(rule)?.[1];
    const url = file && resolve(file);
    if (!url || !range) continue;
    faces.push({ url, 'unicode-range': range.split(',').map((r) => r.trim()) });
  }
  return faces;
}

/** The style's `font-faces`; URLs are made absolute because the style spec wants absolute ones. */
export function gridMapFontFaces(base = location.href): FontFacesSpecification {
  const resolve = (file: string) => {
    const url = urlByFileName.get(file);
    return url && new URL(url, base).href;
  };
  return {
    [fontNames.regular[0]]: parseFontsourceCss(regularCss, resolve),
    [fontNames.bold[0]]: parseFontsourceCss(boldCss, resolve),
  };
}
