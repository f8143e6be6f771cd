import type { Messages } from '../i18n/zh-CN.ts';

// Building and unit names as the page's language says them: the data writes "3号楼" and "2单元";
// an English page reads "Bldg 3" and "Unit 2" wherever the UI composes a place (issue 10, item 12).
// Compound names stay as they are: the data has no English names.

/** "3号楼 2单元" → "Bldg 3 Unit 2" in English; unchanged in Chinese. */
export function placeWords(t: Pick<Messages, 'places'>, text: string): string {
  return text
    .replace(/(\d+)\s*号楼/g, (_, n: string) => t.places.building(n))
    .replace(/(\d+)\s*单元/g, (_, n: string) => t.places.unit(n))
    .replace(/(Bldg \d+)(?=Unit)/g, '$1 ');
}
