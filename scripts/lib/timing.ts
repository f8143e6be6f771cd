// What the benchmarks measure with: percentiles and a timed loop of awaited calls.

/** The p-th percentile (nearest rank, 0–100) of some figures; the input is not reordered. */
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** Awaits fn(0) … fn(n − 1) one after another and gives the median and p99 of their times in ms. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return { p50: pct(times, 50), p99: pct(times, 99) };
}
