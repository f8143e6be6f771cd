import { mulberry32 } from '../lib/random.ts';

// Small seeded PRNG (mulberry32, shared with the benchmarks in ../lib/random.ts) and helpers. Each
// generator stage derives its own stream from a label, so changing one stage does not reshuffle the others.

export { mulberry32 };

export type Rng = {
  (): number;
  int(lo: number, hi: number): number; // inclusive
  float(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(items: readonly T[]): T[];
};

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export const DEMO_SEED = 20261120;

export function makeRng(label: string, seed = DEMO_SEED): Rng {
  const next = mulberry32(hashString(`${seed}:${label}`));
  const rng = (() => next()) as Rng;
  rng.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  rng.float = (lo, hi) => lo + next() * (hi - lo);
  rng.pick = (items) => items[Math.floor(next() * items.length)];
  rng.chance = (p) => next() < p;
  rng.shuffle = (items) => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return rng;
}
