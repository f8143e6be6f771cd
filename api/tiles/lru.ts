/**
 * A map that forgets its least recently used entries once their weights add up past `budget`
 * (bytes, features: the caller's unit). One entry heavier than the budget is kept alone, until
 * the next one comes: the caller asked for it, and it is answered.
 */
export class Lru<V> {
  private entries = new Map<string, { value: V; weight: number }>(); // oldest first: a Map keeps insertion order
  /** the weights held now, in the budget's unit */
  weight = 0;

  constructor(readonly budget: number) {}

  get size() { return this.entries.size; }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key); // used now: to the young end
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, weight: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.weight -= old.weight;
      this.entries.delete(key);
    }
    for (const [oldest, entry] of this.entries) {
      if (this.weight + weight <= this.budget) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
    this.entries.set(key, { value, weight });
    this.weight += weight;
  }
}
