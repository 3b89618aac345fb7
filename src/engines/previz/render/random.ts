/**
 * Seeded randomness for the previz renderer. Every random choice goes through a `Random` made from
 * the request seed, so the same plan always draws the same pixels (no `Math.random`, no clock).
 */

/** A seeded source of floats in [0, 1) with helpers; cheap to create (one per shot). */
export interface Random {
  /** Next float in [0, 1). */
  next(): number;
  /** Uniform float in [min, max). */
  range(min: number, max: number): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One of the items, uniformly. */
  pick<T>(items: readonly [T, ...T[]]): T;
}

/**
 * mulberry32: tiny, fast and well mixed enough for placing shapes; reproducible across platforms
 * because it only uses 32-bit integer arithmetic.
 * @example const random = createRandom(mixSeeds(plan.seed, shot.index)); random.range(0, 1);
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    pick: (items) => items[Math.floor(items.length * next())] ?? items[0],
  };
}

/** Combines seeds into one (e.g. request seed + shot index) so that neighbours do not correlate. */
export function mixSeeds(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/**
 * A float in [0, 1) from integers alone, for things that change every frame (grain, flicker):
 * no stream to advance, so any frame can be drawn on its own and comes out the same.
 */
export function hashUnit(...parts: number[]): number {
  return mixSeeds(...parts) / 4294967296;
}
