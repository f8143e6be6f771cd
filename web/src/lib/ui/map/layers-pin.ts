import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap, MapLayerMouseEvent, MapLayerTouchEvent, MapMouseEvent, MapTouchEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { rider, ui } from '../colours.ts';
import { fontNames as fonts } from './fonts-spec.ts';
import { PIN_SOURCE, SPOTS_SOURCE, WALK_SOURCE } from './sources.ts';

// The resident's small map: numbered service points (the list below the map uses the same
// numbers) and one red pin, the resident's place or the problem's, that can be dragged.

export const PIN_IMAGE = 'pin-marker';
/** The pin image's size (px) and where its tip is, from the top left: MapLibre's own marker, 1.3 times. */
export const PIN_SIZE = { width: 27 * 1.3, height: 41 * 1.3, tipY: 34.8 * 1.3 };

export function layersSpots(source: string): LayerSpecification[] {
  return [
    {
      id: 'spots-shadow',
      type: 'circle',
      source,
      paint: { 'circle-color': 'rgba(0,0,0,0.4)', 'circle-radius': 14, 'circle-blur': 0.3, 'circle-translate': [0, 1] },
    },
    {
      id: 'spots',
      type: 'circle',
      source,
      paint: { 'circle-color': ui.primary, 'circle-radius': 11, 'circle-stroke-color': ui.onColour, 'circle-stroke-width': 2 },
    },
    {
      id: 'spots-label',
      type: 'symbol',
      source,
      layout: {
        'text-field': ['get', 'label'],
        'text-font': fonts.bold,
        'text-size': 15,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': ui.onColour },
    },
  ];
}

export function layersPin(source: string): LayerSpecification[] {
  return [{
    id: 'pin',
    type: 'symbol',
    source,
    layout: {
      'icon-image': PIN_IMAGE,
      // the tip, not the middle, stands on the place
      'icon-offset': [0, PIN_SIZE.height / 2 - PIN_SIZE.tipY],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
  }];
}

// ---------------------------------------------------------------- what the page sets

export type Spot = { id: string; lon: number; lat: number; label: string };

const point = (lonLat: [number, number], properties: Record<string, string> = {}): Feature<Point> =>
  ({ type: 'Feature', geometry: { type: 'Point', coordinates: lonLat }, properties });
const collection = (features: Feature<Point>[]): FeatureCollection<Point> => ({ type: 'FeatureCollection', features });

export function setPin(map: MapLibreMap, pin: [number, number] | null): void {
  map.getSource<GeoJSONSource>(PIN_SOURCE)?.setData(collection(pin ? [point(pin)] : []));
}

/** Whether a screen point is on the pin (a tap there is the start of a drag, not a new place). */
export const isOnPin = (map: MapLibreMap, at: { x: number; y: number }): boolean =>
  map.queryRenderedFeatures([at.x, at.y], { layers: ['pin'] }).length > 0;

export function setSpots(map: MapLibreMap, spots: readonly Spot[]): void {
  map.getSource<GeoJSONSource>(SPOTS_SOURCE)?.setData(collection(spots.map((s) => point([s.lon, s.lat], { id: s.id, label: s.label }))));
}

/**
 * Lets the pin be dragged with a mouse or one finger; `ondrop` gets where it was let go. The
 * offset between the pointer and the tip is kept, so the pin does not jump under the finger.
 * Returns a function that stops it.
 */
export function dragPin(map: MapLibreMap, ondrop: (lon: number, lat: number) => void): () => void {
  let offset: { x: number; y: number } | null = null;
  let at: [number, number] | null = null;
  const canvas = map.getCanvasContainer();

  const start = (event: MapLayerMouseEvent | MapLayerTouchEvent) => {
    if ('points' in event && event.points.length !== 1) return;
    const tip = map.project((event.features?.[0]?.geometry as Point).coordinates as [number, number]);
    offset = { x: tip.x - event.point.x, y: tip.y - event.point.y };
    event.preventDefault(); // keeps the map from panning under the pin
    canvas.style.cursor = 'grabbing';
  };
  const move = (event: MapMouseEvent | MapTouchEvent) => {
    if (!offset) return;
    const lngLat = map.unproject([event.point.x + offset.x, event.point.y + offset.y]);
    at = [lngLat.lng, lngLat.lat];
    setPin(map, at);
  };
  const end = () => {
    if (!offset) return;
    offset = null;
    canvas.style.cursor = '';
    if (at) ondrop(at[0], at[1]);
    at = null;
  };
  const hover = () => (canvas.style.cursor = offset ? 'grabbing' : 'grab');
  const leave = () => (canvas.style.cursor = offset ? 'grabbing' : '');

  const onPin = { mousedown: start, touchstart: start, mouseenter: hover, mouseleave: leave } as const;
  const anywhere = { mousemove: move, touchmove: move, mouseup: end, touchend: end } as const;
  for (const [type, listener] of Object.entries(onPin)) map.on(type as 'mousedown', 'pin', listener);
  for (const [type, listener] of Object.entries(anywhere)) map.on(type as 'mousemove', listener);
  return () => {
    for (const [type, listener] of Object.entries(onPin)) map.off(type as 'mousedown', 'pin', listener);
    for (const [type, listener] of Object.entries(anywhere)) map.off(type as 'mousemove', listener);
  };
}

// ---------------------------------------------------------------- the walking path (issue 10)

/** The way on foot from the worker to the request: a blue line on a white casing, under the labels. */
export function layersWalk(source: string): LayerSpecification[] {
  const round = { 'line-cap': 'round', 'line-join': 'round' } as const;
  return [
    { id: 'walk-casing', type: 'line', source, layout: round, paint: { 'line-color': ui.onColour, 'line-width': 9 } },
    { id: 'walk', type: 'line', source, layout: round, paint: { 'line-color': rider.route, 'line-width': 5 } },
  ];
}

export function setWalk(map: MapLibreMap, path: [number, number][] | null): void {
  const features: Feature<LineString>[] = path && path.length > 1
    ? [{ type: 'Feature', geometry: { type: 'LineString', coordinates: path }, properties: {} }]
    : [];
  map.getSource<GeoJSONSource>(WALK_SOURCE)?.setData({ type: 'FeatureCollection', features });
}
