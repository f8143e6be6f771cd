/**
 * A uniform grid of buckets over boxes, for point queries without allocation: each bucket lists
 * the boxes that overlap it (compressed: `start[b]..start[b+1]` index into `items`). For areas
 * that tile a territory, a bucket about one area wide holds a handful, so a lookup is a division
 * and a short scan — several times faster than walking a tree per point.
 */
export class BucketGrid {
  readonly start: Int32Array;
  readonly items: Int32Array;
  private minX: number;
  private minY: number;
  private size: number;
  private nx: number;
  private ny: number;

  /** boxes: minX, minY, maxX, maxY per item */
  constructor(readonly boxes: Float64Array) {
    const n = boxes.length / 4;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, boxes[4 * i]); minY = Math.min(minY, boxes[4 * i + 1]);
      maxX = Math.max(maxX, boxes[4 * i + 2]); maxY = Math.max(maxY, boxes[4 * i + 3]);
    }
    if (!n) { minX = minY = 0; maxX = maxY = 1; }
    const width = Math.max(maxX - minX, 1e-9);
    const height = Math.max(maxY - minY, 1e-9);
    this.size = Math.sqrt((width * height) / Math.max(n, 1)); // ≈ one item's extent
    this.minX = minX;
    this.minY = minY;
    this.nx = Math.max(1, Math.ceil(width / this.size) + 1);
    this.ny = Math.max(1, Math.ceil(height / this.size) + 1);
    const counts = new Int32Array(this.nx * this.ny + 1);
    this.forEachBucket(n, (b) => { counts[b + 1]++; });
    for (let b = 0; b < counts.length - 1; b++) counts[b + 1] += counts[b];
    this.start = counts;
    this.items = new Int32Array(counts[counts.length - 1]);
    const fill = counts.slice(0, -1);
    this.forEachBucket(n, (b, i) => { this.items[fill[b]++] = i; });
  }

  private forEachBucket(n: number, fn: (bucket: number, item: number) => void) {
    for (let i = 0; i < n; i++) {
      const x0 = this.col(this.boxes[4 * i]), x1 = this.col(this.boxes[4 * i + 2]);
      const y0 = this.row(this.boxes[4 * i + 1]), y1 = this.row(this.boxes[4 * i + 3]);
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) fn(y * this.nx + x, i);
    }
  }

  private col(x: number) { return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minX) / this.size))); }
  private row(y: number) { return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.minY) / this.size))); }

  /** The bucket holding (x, y); its items are items[start[b]] … items[start[b + 1] - 1]. */
  bucket(x: number, y: number): number {
    return this.row(y) * this.nx + this.col(x);
  }

  /** Whether (x, y) lies in item i's box, edges included. */
  inBox(i: number, x: number, y: number): boolean {
    const b = this.boxes;
    return x >= b[4 * i] && x <= b[4 * i + 2] && y >= b[4 * i + 1] && y <= b[4 * i + 3];
  }
}
