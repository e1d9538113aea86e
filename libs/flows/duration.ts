const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a duration written as `90s`, `15m`, `2h`, `3d`, `1w` (units may be combined:
 * `1d12h`) or as ISO 8601 (`P3D`, `PT2H30M`). Returns milliseconds, or null when the
 * text is not a positive duration.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim();
  const short = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i.exec(value);
  if (short && value !== '') {
    const [, w, d, h, m, s] = short;
    return positive(
      num(w) * UNIT_MS.w + num(d) * UNIT_MS.d + num(h) * UNIT_MS.h + num(m) * UNIT_MS.m + num(s) * UNIT_MS.s,
    );
  }
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(value);
  if (iso && !/T$/i.test(value) && value.length > 1) {
    const [, w, d, h, m, s] = iso;
    return positive(
      num(w) * UNIT_MS.w + num(d) * UNIT_MS.d + num(h) * UNIT_MS.h + num(m) * UNIT_MS.m + num(s) * UNIT_MS.s,
    );
  }
  return null;
}

function num(part: string | undefined): number {
  return part === undefined ? 0 : Number(part);
}

function positive(ms: number): number | null {
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
}
