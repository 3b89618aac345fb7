import { Biquad, CONTROL_STEP, PinkNoise, SAMPLE_RATE, WAVES, WhiteNoise, wave } from "../dsp.ts";
import type { BedContext, BedDrawer } from "./types.ts";
import { eventRange } from "./types.ts";

/** Living things: birds by day, crickets by night, and the murmur of a crowd. */

function addPanned(out: { left: Float32Array; right: Float32Array }, i: number, sample: number, pan: number) {
  out.left[i] = (out.left[i] ?? 0) + sample * (1 - pan);
  out.right[i] = (out.right[i] ?? 0) + sample * (1 + pan);
}

/** Phrases of chirps: a few notes sweeping between 2 and 6 kHz, warbling, each from its own place. */
export const birds: BedDrawer = (context, out) => {
  const { length, random, seconds, scene } = context;
  leaves(context, out);
  const perSecond = (scene.setting === "forest" ? 1.4 : 0.8) * (scene.timeOfDay === "dawn" ? 1.5 : 1);
  for (let at = random.range(0, 0.5); at < seconds; at += random.range(0.4, 2) / perSecond) {
    const notes = random.int(1, 5);
    const base = random.range(2400, 4800);
    const pan = random.range(-0.75, 0.75);
    const level = random.range(0.3, 1);
    let start = at;
    for (let n = 0; n < notes; n++) {
      const duration = random.range(0.04, 0.12);
      const sweep = random.range(-1500, 1500);
      const warble = random.range(18, 40);
      const [from, to] = eventRange(start, duration, length, SAMPLE_RATE);
      let phase = 0;
      for (let i = from; i < to; i++) {
        const u = (i - from) / (duration * SAMPLE_RATE);
        const frequency = base + sweep * u + 180 * wave(WAVES.sine, warble * u * duration);
        phase += frequency / SAMPLE_RATE;
        addPanned(out, i, level * wave(WAVES.sine, u / 2) ** 2 * wave(WAVES.sine, phase), pan);
      }
      start += duration + random.range(0.03, 0.08);
    }
  }
};

/** A faint rustle of leaves under the birds, so the forest is never dead quiet between chirps. */
function leaves({ length, seed }: BedContext, out: { left: Float32Array; right: Float32Array }) {
  [out.left, out.right].forEach((samples, c) => {
    const noise = new PinkNoise(seed + 41 * c);
    const band = new Biquad("bandpass", 3000, 0.6);
    let level = 0;
    for (let i = 0; i < length; i++) {
      if (i % CONTROL_STEP === 0)
        level = 0.05 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.23 * (i / SAMPLE_RATE) + c));
      samples[i] = (samples[i] ?? 0) + level * band.process(noise.next());
    }
  });
}

/** A few crickets, each trilling its own pitch on its own beat. */
export const crickets: BedDrawer = ({ length, random, seconds }, out) => {
  const count = random.int(3, 5);
  for (let k = 0; k < count; k++) {
    const pitch = random.range(4000, 5600);
    const every = random.range(0.5, 1.1);
    const pan = random.range(-0.8, 0.8);
    const level = random.range(0.4, 1);
    const pulses = random.int(2, 4);
    for (let at = random.range(0, every); at < seconds; at += every) {
      for (let p = 0; p < pulses; p++) {
        const [from, to] = eventRange(at + p * 0.03, 0.018, length, SAMPLE_RATE);
        for (let i = from; i < to; i++) {
          const u = (i - from) / (0.018 * SAMPLE_RATE);
          addPanned(
            out,
            i,
            level * wave(WAVES.sine, u / 2) * wave(WAVES.sine, (pitch * i) / SAMPLE_RATE),
            pan,
          );
        }
      }
    }
  }
};

/**
 * A crowd's murmur: several voices of band-passed noise, each rising and falling at the pace of
 * syllables, none of them words.
 */
export const crowd: BedDrawer = ({ length, seed, random }, out) => {
  const voices = Array.from({ length: 4 }, (_, k) => ({
    noise: new PinkNoise(seed + 59 * k),
    chance: new WhiteNoise(seed + 61 * k),
    band: new Biquad("bandpass", random.range(380, 950), 1.4),
    pan: random.range(-0.7, 0.7),
    syllable: random.range(0.12, 0.22) * SAMPLE_RATE,
    level: 0,
    target: 0,
  }));
  const step = CONTROL_STEP / (0.04 * SAMPLE_RATE);
  const { left, right } = out;
  for (const voice of voices) {
    const syllable = Math.round(voice.syllable);
    const { band, noise, chance } = voice;
    const [toLeft, toRight] = [1 - voice.pan, 1 + voice.pan];
    let gain = 0;
    for (let i = 0; i < length; i++) {
      if (i % syllable === 0) {
        // Talk most of the time, with pauses between phrases.
        const roll = (chance.next() + 1) / 2;
        voice.target = roll < 0.25 ? 0 : 0.4 + 0.6 * roll;
      }
      if (i % CONTROL_STEP === 0) {
        voice.level += Math.max(-step, Math.min(step, voice.target - voice.level));
        gain = voice.level * voice.level * (3 - 2 * voice.level);
      }
      const sample = gain * band.process(noise.next());
      left[i] = (left[i] ?? 0) + sample * toLeft;
      right[i] = (right[i] ?? 0) + sample * toRight;
    }
  }
};
