import { mapColours, type MapColours } from '../colours.ts';

/**
 * The map's themes: the grid map by day; the wall screen's dark room; the 15-minute circle, where
 * buildings are shaded by the services they miss; the resident's pin on a small map.
 */
export const themes = ['day', 'wall', 'circle', 'pin'] as const;
export type Theme = (typeof themes)[number];

/** The basemap's colours in a theme: only the wall is dark. */
export const coloursOf = (theme: Theme): MapColours => (theme === 'wall' ? mapColours.night : mapColours.day);
