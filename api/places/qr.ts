import { sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Database } from '../db/client.ts';

/**
 * QR codes (一码) for gates, compounds, buildings and grids, and a printable A4 sheet per compound.
 * The code holds an absolute URL: `PUBLIC_URL` (what phones outside can reach) or the request's origin.
 */

export const qrKinds = ['gate', 'compound', 'building', 'grid'] as const;
export type QrKind = (typeof qrKinds)[number];

// printed words on the sheet (the sheet is the product's printed UI)
export const printed = {
  gate: '骑手扫码：查看楼栋分布、单元入口、暖心驿站',
  compound: '骑手扫码：查看楼栋分布、单元入口、暖心驿站',
  building: '居民扫码：反映问题（楼道堆物、飞线充电、设施损坏…）',
  grid: '居民扫码：查看我的网格员与附近服务',
  footer: '一图 · 网格地图　扫码即用，无需下载',
  // issue 9 §2: a sheet printed without PUBLIC_URL encodes the address it was asked at (often 127.0.0.1)
  noPublicUrl: (base: string) => `注意：未设置 PUBLIC_URL，本页二维码指向 ${base}，手机可能打不开。请设置 PUBLIC_URL 后重新打印`,
};

/** Where a place's code leads: the rider guide, the report form, or the resident page. */
export async function qrTarget(database: Database, kind: QrKind, id: string): Promise<{ path: string; title: string } | null> {
  if (kind === 'gate') {
    const [g] = await database.rows<{ compoundId: string; title: string }>(sql`
      SELECT g.compound_id AS "compoundId", c.name || ' ' || g.name AS title FROM gates g JOIN compounds c ON c.id = g.compound_id WHERE g.id = ${id}`);
    return g ? { path: `/rider/${encodeURIComponent(g.compoundId)}`, title: g.title } : null;
  }
  if (kind === 'compound') {
    const [c] = await database.rows<{ name: string }>(sql`SELECT name FROM compounds WHERE id = ${id}`);
    return c ? { path: `/rider/${encodeURIComponent(id)}`, title: c.name } : null;
  }
  if (kind === 'building') {
    const [b] = await database.rows<{ title: string }>(sql`
      SELECT concat_ws(' ', c.name, coalesce(b.number, b.name)) AS title FROM buildings b LEFT JOIN compounds c ON c.id = b.compound_id WHERE b.id = ${id}`);
    return b ? { path: `/report?building=${encodeURIComponent(id)}`, title: b.title } : null;
  }
  const [a] = await database.rows<{ name: string }>(sql`SELECT name FROM areas WHERE id = ${id} AND level = 'grid'`);
  return a ? { path: `/resident?grid=${encodeURIComponent(id)}`, title: a.name } : null;
}

/** The code's dark modules as one SVG path, one horizontal run per `M x y h n v 1 h -n z`. */
export function qrPath(text: string): { size: number; d: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!modules.get(y, x)) continue;
      let run = 1;
      while (x + run < size && modules.get(y, x + run)) run++;
      d += `M${x} ${y}h${run}v1h-${run}z`;
      x += run - 1;
    }
  }
  return { size, d };
}

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** One QR code as a standalone SVG, with the 4-module quiet zone the standard asks for. */
export function qrSvg(text: string): string {
  const { size, d } = qrPath(text);
  const full = size + 8;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" width="${full * 8}" height="${full * 8}" shape-rendering="crispEdges">`
    + `<title>${xml(text)}</title><rect width="${full}" height="${full}" fill="#fff"/><path transform="translate(4 4)" fill="#000" d="${d}"/></svg>\n`;
}

const font = `font-family="'Noto Sans SC','Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"`;

/** A4 pages (210 × 297 mm) of cards, 3 × 4 per page, stacked: printed at 100 % they paginate. */
export function sheetSvg(compoundName: string, cards: { title: string; instruction: string; url: string }[], warning?: string): string {
  const cols = 3, rows = 4, perPage = cols * rows;
  const pages = Math.max(1, Math.ceil(cards.length / perPage));
  const cardW = 62, cardH = 64, left = (210 - cols * cardW) / 2, top = 24;
  let body = '';
  for (let p = 0; p < pages; p++) {
    const y0 = p * 297;
    body += `<rect x="0" y="${y0}" width="210" height="297" fill="#fff"/>`;
    body += `<text x="105" y="${y0 + 15}" text-anchor="middle" font-size="7" font-weight="700" ${font}>${xml(compoundName)} · 二维码（第 ${p + 1}/${pages} 页）</text>`;
    if (warning) {
      // on every page, in red inside a box: whoever prints it sees it before it reaches a wall
      body += `<rect x="8" y="${y0 + 17.5}" width="194" height="5.5" fill="#fff4f4" stroke="#c62828" stroke-width="0.4"/>`
        + `<text x="105" y="${y0 + 21.3}" text-anchor="middle" font-size="3.2" font-weight="700" fill="#c62828" ${font}>${xml(warning)}</text>`;
    }
    cards.slice(p * perPage, (p + 1) * perPage).forEach((card, i) => {
      const x = left + (i % cols) * cardW, y = y0 + top + Math.floor(i / cols) * cardH;
      const { size, d } = qrPath(card.url);
      const scale = 38 / size; // a 38 mm code: scans from arm's length on a dim stairwell wall
      const [who, what = ''] = card.instruction.split('：'); // 骑手扫码 / what it opens, on two lines
      body += `<g><rect x="${x + 1}" y="${y + 1}" width="${cardW - 2}" height="${cardH - 2}" rx="2" fill="none" stroke="#999" stroke-width="0.3" stroke-dasharray="2 1"/>`
        + `<text x="${x + cardW / 2}" y="${y + 9}" text-anchor="middle" font-size="5" font-weight="700" ${font}>${xml(card.title)}</text>`
        + `<path transform="translate(${x + (cardW - 38) / 2} ${y + 12}) scale(${scale.toFixed(5)})" fill="#000" d="${d}"/>`
        + `<text x="${x + cardW / 2}" y="${y + 53.6}" text-anchor="middle" font-size="3.4" font-weight="700" ${font}>${xml(who)}</text>`
        + `<text x="${x + cardW / 2}" y="${y + 57.4}" text-anchor="middle" font-size="2.6" ${font}>${xml(what)}</text>`
        + `<text x="${x + cardW / 2}" y="${y + 60.9}" text-anchor="middle" font-size="1.7" fill="#555" font-family="monospace">${xml(card.url)}</text></g>`;
    });
    body += `<text x="105" y="${y0 + 290}" text-anchor="middle" font-size="3.2" fill="#555" ${font}>${xml(printed.footer)}</text>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="${297 * pages}mm" viewBox="0 0 210 ${297 * pages}" shape-rendering="crispEdges">`
    + `<title>${xml(compoundName)}</title>${body}</svg>\n`;
}

