import { careColours, circleColours, editColours, listColours, exclusiveColour, levelColours, mapColours, missingShades, poiColours, rider, statusColours, timeLeftColours, ui, wall } from './colours.ts';

// The palette as CSS custom properties, so a stylesheet says `var(--gm-accent)` where the map style
// says `ui.accent`: one source (./colours.ts), two ways to read it. Set on :root before the app mounts.

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replaceAll('_', '-');

/** `ui.textSoft` → `--gm-text-soft`, `wall.muted` → `--gm-wall-muted`, `statusColours.collected` → `--gm-status-collected`… */
export function cssTokens(): Record<string, string> {
  const tokens: Record<string, string> = {};
  const add = (prefix: string, table: Readonly<Record<string, string>>) => {
    for (const [key, value] of Object.entries(table)) tokens[`--gm-${prefix}${kebab(key)}`] = value;
  };
  add('', ui);
  add('wall-', wall);
  add('rider-', rider);
  add('status-', statusColours);
  add('time-', timeLeftColours);
  add('poi-', poiColours);
  add('level-', levelColours);
  add('map-', mapColours.day);
  add('circle-', circleColours);
  add('circle-missing-', Object.fromEntries(missingShades.map((shade, i) => [String(i), shade])));
  tokens['--gm-exclusive'] = exclusiveColour;
  add('care-', careColours); // care ledgers (issue 11 §2)
  add('list-', listColours); // 三项清单 (issue 11 §1)
  add('edit-', editColours); // map editing (issue 8 §2)
  return tokens;
}

export function applyTokens(root: HTMLElement = document.documentElement): void {
  for (const [name, value] of Object.entries(cssTokens())) root.style.setProperty(name, value);
}
