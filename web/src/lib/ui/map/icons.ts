import type { Map as MapLibreMap } from 'maplibre-gl';
import { exclusiveColour, ui } from '../colours.ts';
import { poiMarkOf } from '../poi-marks.ts';
import { POI_ICON_PREFIX } from './layers-points.ts';
import { HATCH_IMAGE } from './layers-areas.ts';
import { PIN_IMAGE, PIN_SIZE } from './layers-pin.ts';

// Icons made in the browser instead of a sprite sheet: nothing to fetch, nothing from another host.

const PIXEL_RATIO = 2; // draw at 2x so icons stay crisp on phones and wall screens
const POI_SIZE = 26; // px, before pixel ratio
const SHADE = 'rgba(0,0,0,0.35)';

/** A disc in the category's colour with a white rim; the category's character is drawn on it by the style. */
function poiDisc(colour: string): ImageData {
  const size = POI_SIZE * PIXEL_RATIO;
  const ctx = context(size, size);
  const r = size / 2;
  ctx.beginPath();
  ctx.arc(r, r, r - 2 * PIXEL_RATIO, 0, Math.PI * 2);
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.lineWidth = 2 * PIXEL_RATIO;
  ctx.strokeStyle = ui.onColour;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(r, r, r - 0.5 * PIXEL_RATIO, 0, Math.PI * 2);
  ctx.lineWidth = PIXEL_RATIO;
  ctx.strokeStyle = SHADE;
  ctx.stroke();
  return ctx.getImageData(0, 0, size, size);
}

/** Diagonal stripes that tile seamlessly: marks exclusive grids (schools, hospitals…). */
function hatch(colour: string): ImageData {
  const size = 12 * PIXEL_RATIO;
  const ctx = context(size, size);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2 * PIXEL_RATIO;
  for (const offset of [-size, 0, size]) {
    ctx.beginPath();
    ctx.moveTo(offset, size);
    ctx.lineTo(offset + size, 0);
    ctx.stroke();
  }
  return ctx.getImageData(0, 0, size, size);
}

// MapLibre's default marker (src/ui/marker.ts), drawn as an image so the pin is a layer of the style
const PIN_BODY = 'M27,13.5 C27,19.074644 20.250001,27.000002 14.75,34.500002 C14.016665,35.500004 12.983335,35.500004 12.25,34.500002 C6.7499993,27.000002 0,19.222562 0,13.5 C0,6.0441559 6.0441559,0 13.5,0 C20.955844,0 27,6.0441559 27,13.5 Z';
const PIN_RIM = 'M13.5,0 C6.0441559,0 0,6.0441559 0,13.5 C0,19.222562 6.7499993,27 12.25,34.5 C13,35.522727 14.016664,35.500004 14.75,34.5 C20.250001,27 27,19.074644 27,13.5 C27,6.0441559 20.955844,0 13.5,0 Z M13.5,1 C20.415404,1 26,6.584596 26,13.5 C26,15.898657 24.495584,19.181431 22.220703,22.738281 C19.945823,26.295132 16.705119,30.142167 13.943359,33.908203 C13.743445,34.180814 13.612715,34.322738 13.5,34.441406 C13.387285,34.322738 13.256555,34.180814 13.056641,33.908203 C10.284481,30.127985 7.4148684,26.314159 5.015625,22.773438 C2.6163816,19.232715 1,15.953538 1,13.5 C1,6.584596 6.584596,1 13.5,1 Z';
const PIN_SHADOW_RADII = [[10.5, 5.25], [10.5, 5.25], [9.5, 4.77], [8.5, 4.3], [7.5, 3.82], [6.5, 3.34], [5.5, 2.86], [4.5, 2.39]];

function pin(colour: string): ImageData {
  const scale = (PIN_SIZE.width / 27) * PIXEL_RATIO;
  const ctx = context(Math.ceil(PIN_SIZE.width * PIXEL_RATIO), Math.ceil(PIN_SIZE.height * PIXEL_RATIO));
  ctx.scale(scale, scale);
  ctx.fillStyle = 'rgba(0,0,0,0.04)';
  for (const [rx, ry] of PIN_SHADOW_RADII) {
    ctx.beginPath();
    ctx.ellipse(13.5, 34.8, rx, ry, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.fillStyle = colour;
  ctx.fill(new Path2D(PIN_BODY));
  ctx.fillStyle = 'rgba(0,0,0,0.25)';
  ctx.fill(new Path2D(PIN_RIM));
  ctx.beginPath();
  ctx.arc(13.5, 13.5, 5.5, 0, Math.PI * 2);
  ctx.fillStyle = ui.onColour;
  ctx.fill();
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height);
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
    if (id === HATCH_IMAGE) map.addImage(id, hatch(exclusiveColour), { pixelRatio: PIXEL_RATIO });
    else if (id === PIN_IMAGE) map.addImage(id, pin(ui.action), { pixelRatio: PIXEL_RATIO });
    else if (id.startsWith(POI_ICON_PREFIX)) map.addImage(id, poiDisc(poiMarkOf(id.slice(POI_ICON_PREFIX.length)).colour), { pixelRatio: PIXEL_RATIO });
  });
}
