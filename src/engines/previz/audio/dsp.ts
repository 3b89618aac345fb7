/**
 * Small signal-processing parts for the procedural sound track: seeded noise, RBJ biquad filters,
 * one-pole smoothers and wavetable oscillators. Everything is a plain function of its seed and
 * its input, so the same shot always gives the same samples.
 */

/** Every sound Shotline makes is at this rate (the AAC track's). */
export const SAMPLE_RATE = 48_000;

/**
 * Slow envelopes (swells, gusts, passing cars) are computed once every this many samples (a
 * third of a millisecond) and held: far too short a step to hear, and it saves most of the cost.
 */
export const CONTROL_STEP = 16;

/** Two channels, kept apart while beds are drawn, interleaved only at the end. */
export interface Stereo {
  left: Float32Array;
  right: Float32Array;
}

export function stereo(length: number): Stereo {
  return { left: new Float32Array(length), right: new Float32Array(length) };
}

/*
 * Generators and filters are small classes rather than closures: V8 keeps their fields in
 * registers-friendly objects, several times faster per sample than mutable captured variables.
 */

/** White noise in [-1, 1) from a seed (xorshift32: a few integer operations a sample). */
export class WhiteNoise {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0 || 0x1e3779b9;
  }
  next(): number {
    let s = this.state;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s;
    return (s >>> 0) / 2147483648 - 1;
  }
}

/** Pink noise (−3 dB an octave: rain, surf), Paul Kellet's economy filter over white noise. */
export class PinkNoise {
  private readonly white: WhiteNoise;
  private b0 = 0;
  private b1 = 0;
  private b2 = 0;
  constructor(seed: number) {
    this.white = new WhiteNoise(seed);
  }
  next(): number {
    const w = this.white.next();
    this.b0 = 0.99765 * this.b0 + w * 0.099046;
    this.b1 = 0.963 * this.b1 + w * 0.2965164;
    this.b2 = 0.57 * this.b2 + w * 1.0526913;
    return (this.b0 + this.b1 + this.b2 + w * 0.1848) * 0.18;
  }
}

/** Brown noise (−6 dB an octave: rumble, distant traffic), a leaky integral of white noise. */
export class BrownNoise {
  private readonly white: WhiteNoise;
  private level = 0;
  constructor(seed: number) {
    this.white = new WhiteNoise(seed);
  }
  next(): number {
    this.level = (this.level + 0.02 * this.white.next()) / 1.02;
    return this.level * 3.5;
  }
}

export type FilterKind = "lowpass" | "highpass" | "bandpass";

/**
 * A second-order filter (RBJ cookbook); `set` retunes it without a click, for sweeps.
 * For `bandpass`, q is centre frequency / bandwidth (peak gain 1).
 * @example const lowpass = new Biquad("lowpass", 800); out[i] = lowpass.process(noise.next());
 */
export class Biquad {
  private b0 = 0;
  private b1 = 0;
  private b2 = 0;
  private a1 = 0;
  private a2 = 0;
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;
  constructor(
    private readonly kind: FilterKind,
    frequency: number,
    private q = Math.SQRT1_2,
  ) {
    this.set(frequency, q);
  }
  set(frequency: number, q = this.q): void {
    this.q = q;
    const w = (2 * Math.PI * Math.min(frequency, SAMPLE_RATE * 0.45)) / SAMPLE_RATE;
    const cos = Math.cos(w);
    const alpha = Math.sin(w) / (2 * q);
    const a0 = 1 + alpha;
    let [b0, b1, b2] = [alpha, 0, -alpha];
    if (this.kind === "lowpass") [b0, b1, b2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
    else if (this.kind === "highpass") [b0, b1, b2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
    this.b0 = b0 / a0;
    this.b1 = b1 / a0;
    this.b2 = b2 / a0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
  }
  process(input: number): number {
    const output =
      this.b0 * input + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = input;
    this.y2 = this.y1;
    this.y1 = output;
    return output;
  }
}

/** A one-pole low-pass: smooths a control signal or gently darkens a sound. */
export class OnePole {
  private readonly a: number;
  private y = 0;
  constructor(cutoff: number) {
    this.a = 1 - Math.exp((-2 * Math.PI * cutoff) / SAMPLE_RATE);
  }
  process(input: number): number {
    return (this.y += this.a * (input - this.y));
  }
}

/** Coefficient that makes a value decay by 1/e every `seconds`, applied once a sample. */
export const decayPerSample = (seconds: number) => Math.exp(-1 / (seconds * SAMPLE_RATE));

const TABLE_SIZE = 4096;

function table(harmonics: ReadonlyArray<number>): Float32Array {
  const values = new Float32Array(TABLE_SIZE + 1);
  for (let i = 0; i <= TABLE_SIZE; i++) {
    let sum = 0;
    harmonics.forEach(
      (amplitude, h) => (sum += amplitude * Math.sin((2 * Math.PI * (h + 1) * i) / TABLE_SIZE)),
    );
    values[i] = sum;
  }
  return values;
}

/** One cycle of a sine, and of a soft sawtooth (8 harmonics, no aliasing): cheap oscillators. */
export const WAVES = {
  sine: table([1]),
  saw: table(Array.from({ length: 8 }, (_, h) => 0.55 / (h + 1))),
  /** Three harmonics: an engine's muffled drone. */
  drone: table([0.6, 0.3, 0.15]),
  /** Odd harmonics: a hollow, clarinet-like tone. */
  square: table(Array.from({ length: 8 }, (_, h) => (h % 2 === 0 ? 0.7 / (h + 1) : 0))),
} as const;

/** The wave at `cycles` (any real number of cycles since the start), linearly interpolated. */
export function wave(values: Float32Array, cycles: number): number {
  const position = (cycles - Math.floor(cycles)) * TABLE_SIZE;
  const index = Math.floor(position);
  const a = values[index] ?? 0;
  return a + ((values[index + 1] ?? 0) - a) * (position - index);
}

/** Root mean square of a range of a signal. */
export function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}

export function peak(samples: Float32Array): number {
  let max = 0;
  for (const value of samples) max = Math.max(max, Math.abs(value));
  return max;
}

/** Smooth 0 → 1 over `t` in [0, 1] (raised cosine), for fades and note attacks. */
export const smoothStep = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * t));
