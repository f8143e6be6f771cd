import type { EventRow } from './event-rows.ts';

/** What one kind of viewer is sent of an event (publicEvent, staffEvent: api/live/event-rows.ts). */
export type Render = (row: EventRow) => object;

const encoder = new TextEncoder();
const made = new WeakMap<EventRow, Map<Render, Uint8Array>>();

/**
 * An event as the bytes of its SSE message for one kind of viewer, made once and written to
 * every stream of that kind: the hub hands the same row to all of them, and 200 wall screens
 * each checking, serialising and encoding it cost ≈ 10 ms of the event loop a filing
 * (docs/scaling.md). Keyed by the render function, so the staff's message (with the contact)
 * is never the one a public stream writes. JSON.stringify escapes line breaks: one `data:` line.
 */
export function frameOf(row: EventRow, render: Render): Uint8Array {
  let byRender = made.get(row);
  if (!byRender) made.set(row, (byRender = new Map()));
  let frame = byRender.get(render);
  if (!frame) {
    frame = encoder.encode(`event: request\ndata: ${JSON.stringify(render(row))}\nid: ${row.id}\n\n`);
    byRender.set(render, frame);
  }
  return frame;
}
