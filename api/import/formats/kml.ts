import { DOMParser } from '@xmldom/xmldom';
import { kml } from '@tmcw/togeojson';
import type { RawRecord } from './index.ts';
import { decodeText } from './text.ts';
import { fromGeoJson } from './geojson.ts';

/** KML (Google Earth, 奥维 export): each Placemark with its name, description and ExtendedData. */
export async function readKml(bytes: Uint8Array): Promise<RawRecord[]> {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') problems.push(message); } })
    .parseFromString(decodeText(bytes), 'text/xml');
  if (problems.length || !doc.documentElement || doc.getElementsByTagName('kml').length === 0) {
    throw new Error(problems[0] ?? 'no <kml> element');
  }
  const records = fromGeoJson(kml(doc));
  // togeojson adds styling members; they are not data
  for (const r of records) for (const key of Object.keys(r.values)) if (/^(styleUrl|styleHash|styleMapHash|stroke|fill|icon|label)/.test(key)) delete r.values[key];
  return records;
}
