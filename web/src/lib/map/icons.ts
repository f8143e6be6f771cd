import type { Map as MapLibreMap } from 'maplibre-gl';
import { poiFallback, poiStyles, areaColors } from './theme.ts';
import { POI_ICON_PREFIX } from './layers-points.ts';
import { HATCH_IMAGE } from './layers-areas.ts';

// Icons made in the browser instead of a sprite sheet: nothing to fetch, nothing from another host.

const PIXEL_RATIO = 2; // draw at 2x so icons stay crisp on phones and wall screens
const POI_SIZE = 26; // px, before pixel ratio

/** A disc in the category's colour with a white rim; the category's character is drawn on it by the style. */
function poiDisc(color: string): ImageData {
  const size = POI_SIZE * PIXEL_RATIO;
  const ctx = context(size, size);
  const r = size / 2;
  ctx.beginPath();
  ctx.arc(r, r, r - 2 * PIXEL_RATIO, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 2 * PIXEL_RATIO;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(r, r, r - 0.5 * PIXEL_RATIO, 0, Math.PI * 2);
  ctx.lineWidth = PIXEL_RATIO;
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.stroke();
  return ctx.getImageData(0, 0, size, size);
}

/** Diagonal stripes that tile seamlessly: marks exclusive grids (schools, hospitals…). */
function hatch(color: string): ImageData {
  const size = 12 * PIXEL_RATIO;
  const ctx = context(size, size);
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * PIXEL_RATIO;
  for (const offset of [-size, 0, size]) {
    ctx.beginPath();
    ctx.moveTo(offset, size);
    ctx.lineTo(offset + size, 0);
    ctx.stroke();
  }
  return ctx.getImageData(0, 0, size, size);
}

function context(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Canvas 2D is not available: cannot draw map icons.');
  return ctx;
}

/** Draws each icon the first time the style asks for it, including categories added later. */
export function provideIcons(map: MapLibreMap): void {
  map.setMissingStyleImageResolver((id) => {
    if (map.hasImage(id)) return;
    if (id === HATCH_IMAGE) {
      map.addImage(id, hatch(areaColors.exclusive), { pixelRatio: PIXEL_RATIO });
    } else if (id.startsWith(POI_ICON_PREFIX)) {
      const style = poiStyles[id.slice(POI_ICON_PREFIX.length)] ?? poiFallback;
      map.addImage(id, poiDisc(style.color), { pixelRatio: PIXEL_RATIO });
    }
  });
}
