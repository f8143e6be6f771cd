import type { Page } from 'playwright-core';

// WCAG 2.1 contrast (success criterion 1.4.3, level AA) of every piece of text a page shows, as
// rendered: its colour over the background colours of the boxes beneath it, alpha included. Text
// over an image or a gradient is left out (its background has no one colour), and so are disabled
// controls (exempt in WCAG). What the map draws on its canvas is not text in the page.

/** One piece of text below AA: what it says, the ratio measured and the ratio needed. */
export type LowContrast = { text: string; element: string; ratio: number; needed: number; colours: string };

/** Every visible piece of text of the page whose contrast is below AA (4.5:1, or 3:1 for large text). */
export async function lowContrastText(page: Page): Promise<LowContrast[]> {
  return page.evaluate(() => {
    type Rgba = { r: number; g: number; b: number; a: number };
    const parse = (css: string): Rgba | null => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const over = (top: Rgba, under: Rgba): Rgba => ({
      r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1,
    });
    const channel = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const luminance = (c: Rgba) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const rgb = (c: Rgba) => `rgb(${Math.round(c.r)},${Math.round(c.g)},${Math.round(c.b)})`;

    const found: LowContrast[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      const text = [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      if (!text) continue;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (!box.width || !box.height || style.visibility === 'hidden' || element.closest('[disabled], [aria-disabled="true"]')) continue;
      const layers: Rgba[] = [];
      let unknown = false;
      for (let node: HTMLElement | null = element; node; node = node.parentElement) {
        const s = getComputedStyle(node);
        if (s.backgroundImage !== 'none') { unknown = true; break; }
        const fill = parse(s.backgroundColor);
        if (fill && fill.a > 0) {
          layers.push(fill);
          if (fill.a >= 1) break;
        }
      }
      if (unknown) continue;
      const background = layers.reverse().reduce((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
      const foreground = over(parse(style.color) ?? { r: 0, g: 0, b: 0, a: 1 }, background);
      const [hi, lo] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const needed = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66) ? 3 : 4.5;
      if (ratio < needed) {
        found.push({ text: text.slice(0, 30), element: element.tagName.toLowerCase(), ratio: Math.round(ratio * 100) / 100, needed, colours: `${rgb(foreground)} on ${rgb(background)}` });
      }
    }
    return found;
  });
}
