/** A source of pseudo-random numbers in [0, 1), like Math.random but repeatable. */
export type RandomSource = () => number;

/**
 * Turns a seed into a 32-bit state with the FNV-1a hash of its text, so a number and its
 * decimal text (1 and '1') are the same seed and any string (a model id) can be one.
 */
export function hashSeed(seed: number | string): number {
  let hash = 0x811c9dc5;
  for (const char of String(seed)) {
    const code = char.codePointAt(0) ?? 0;
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The mulberry32 generator started from a 32-bit state: the same state gives the same numbers. */
export function mulberry32(state: number): RandomSource {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A repeatable random source for a seed: mulberry32 started from the seed's hash. */
export function seededRandom(seed: number | string): RandomSource {
  return mulberry32(hashSeed(seed));
}

/** Shuffles a copy of the items (Fisher–Yates) with the given random source. */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
