/** A seeded source of randomness, so that every run of the demo publishes the same stream. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n), skewed towards 0 by `skew` (1 = uniform, 3 = a long tail). */
  index(n: number, skew?: number): number;
  /** One of `choices`, picked with probability proportional to its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  /** A log-normally distributed value: most near `median`, a few far above it. */
  logNormal(median: number, sigma: number): number;
  /** 1, 2, 3, ... with geometrically decreasing odds; `p` is the chance of stopping at each. */
  geometric(p: number, max: number): number;
}

/** Creates a {@link Random} from mulberry32, a small fast 32-bit generator. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  return {
    next,
    index: (n, skew = 1) => Math.floor(n * next() ** skew),
    weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let point = next() * total;
      for (const [choice, weight] of choices) {
        point -= weight;
        if (point < 0) return choice;
      }
      return choices[choices.length - 1]![0];
    },
    logNormal(median, sigma) {
      const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * normal);
    },
    geometric(p, max) {
      let value = 1;
      while (value < max && next() >= p) value += 1;
      return value;
    },
  };
}
