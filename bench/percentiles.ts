/** The value at percentile `p` (0-100) of `values`, nearest-rank; sorts `values` in place. */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return 0;
  values.sort();
  const rank = Math.min(values.length, Math.max(1, Math.ceil((p / 100) * values.length)));
  return values[rank - 1]!;
}
