import type { ExpressionSpecification } from 'maplibre-gl';

/**
 * `['match', input, label1, output1, …, fallback]` from a lookup table. TypeScript cannot type a
 * spread into MapLibre's fixed-arity tuple, so the cast lives here, once.
 */
export function matchBy<K extends string | number, V extends string | number>(
  input: ExpressionSpecification,
  table: [K, V][],
  fallback: V,
): ExpressionSpecification {
  return ['match', input, ...table.flat(), fallback] as unknown as ExpressionSpecification;
}
