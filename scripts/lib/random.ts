// The one seeded generator of the scripts, benchmarks and tests (mulberry32): the same seed gives
// the same numbers on every machine, so a benchmark's points compare between runs and a test's
// failure can be replayed. The demo data generator derives its streams from it (scripts/demo/rng.ts).

/** Numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
