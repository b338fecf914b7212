// A small seeded pseudo-random generator: the simulator must produce the same library, byte for byte,
// from the same seed, so nothing here may touch Math.random or the wall clock.

/** Mixes an arbitrary number (possibly negative or fractional) into a non-zero 32-bit state. */
function mixSeed(seed: number): number {
  let h = Math.floor(Math.abs(seed)) >>> 0;
  h ^= Math.floor(seed / 4294967296) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 0x2545f491 : h >>> 0;
}

/** Mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = mixSeed(seed);
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(values: readonly T[]): T {
    const value = values[Math.floor(this.float() * values.length)];
    if (value === undefined) throw new RangeError('pick() from an empty list');
    return value;
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.u32().toString(16).padStart(8, '0');
    return out.length === length ? out : out.slice(0, length);
  }

  /** `length` characters from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.float() * alphabet.length)] ?? '';
    return out;
  }

  /** A version-4-shaped UUID (deterministic, so not a real random UUID). */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
