import { z } from 'zod';

// Editing on the map in the console (issue 8 §2 "Edit on the map", api/places/edit.ts, docs/editing.md):
// move a point, change a building's number or units, reshape an area's outline. Geometries are WGS84
// GeoJSON; they are checked by the import's own rules on the server, so the schemas here only say
// where they stand in the body.

/** The point layers whose features are moved by dragging them. */
export const movableLayers = ['pois', 'gates', 'entrances'] as const;
export type MovableLayer = (typeof movableLayers)[number];
export const isMovableLayer = (value: unknown): value is MovableLayer => typeof value === 'string' && (movableLayers as readonly string[]).includes(value);

/** The areas whose outlines are reshaped on the map (their siblings change with a shared border). */
export const reshapableLevels = ['community', 'grid', 'microgrid'] as const;

export const PointMove = z.object({ geometry: z.unknown() }).strict();
export type PointMove = z.infer<typeof PointMove>;

/** A building's number (free text: "12А", "3/1") and units; a field left out is kept, null empties the number. */
export const BuildingChange = z.object({ number: z.string().max(500).nullable().optional(), units: z.unknown().optional() }).strict();
export type BuildingChange = z.infer<typeof BuildingChange>;

export const OutlineChange = z.object({ geometry: z.unknown() }).strict();
export type OutlineChange = z.infer<typeof OutlineChange>;
