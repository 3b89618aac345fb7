import {
  Biquad,
  BrownNoise,
  CONTROL_STEP,
  decayPerSample,
  PinkNoise,
  SAMPLE_RATE,
  WhiteNoise,
} from "../dsp.ts";
import type { BedDrawer } from "./types.ts";
import { eventRange } from "./types.ts";

/** Water: the sea's waves, a lake lapping at the shore, and the muffled deep with bubbles. */

/**
 * The sea: each wave swells (a low roar growing), breaks (a bright hiss) and drains away; each
 * ear hears its own train of waves, a little out of step.
 */
export const sea: BedDrawer = ({ length, seed, random }, out) => {
  [out.left, out.right].forEach((samples, c) => {
    const roar = new BrownNoise(seed + 3 * c);
    const foam = new PinkNoise(seed + 5 * c);
    const roarFilter = new Biquad("lowpass", 420);
    const foamFilter = new Biquad("lowpass", 5500);
    const foamHigh = new Biquad("highpass", 300);
    const period = random.range(6.5, 9);
    const offset = random.range(0, period);
    let [roarLevel, foamLevel] = [0, 0];
    for (let i = 0; i < length; i++) {
      if (i % CONTROL_STEP === 0) {
        const u = ((((i / SAMPLE_RATE + offset) / period) % 1) + 1) % 1;
        // Rises until it breaks at 55 % of the cycle, then drains.
        const swell = u < 0.55 ? (u / 0.55) ** 2 : Math.exp(-(u - 0.55) * 6);
        const wash = u < 0.55 ? 0 : Math.exp(-(u - 0.55) * 9) * (u < 0.57 ? (u - 0.55) / 0.02 : 1);
        [roarLevel, foamLevel] = [0.25 + 0.75 * swell, 0.9 * (0.12 + wash)];
      }
      samples[i] =
        roarLevel * roarFilter.process(roar.next()) +
        foamLevel * foamFilter.process(foamHigh.process(foam.next()));
    }
  });
};

/** A lake or a river: small quick laps, darker and quieter than the sea. */
export const lapping: BedDrawer = ({ length, seed, random }, out) => {
  [out.left, out.right].forEach((samples, c) => {
    const noise = new PinkNoise(seed + 17 * c);
    const band = new Biquad("bandpass", 600, 0.8);
    const laps = [random.range(1.6, 2.4), random.range(2.6, 3.4)];
    const phases = [random.range(0, 6), random.range(0, 6)];
    let level = 0;
    for (let i = 0; i < length; i++) {
      if (i % CONTROL_STEP === 0) {
        const t = i / SAMPLE_RATE;
        level = 0.2;
        laps.forEach(
          (lap, k) => (level += 0.4 * Math.max(0, Math.sin((2 * Math.PI * t) / lap + (phases[k] ?? 0))) ** 3),
        );
      }
      samples[i] = level * band.process(noise.next());
    }
  });
};

/** Under water: a dark rumble, and bubbles rising as quick upward chirps. */
export const underwater: BedDrawer = ({ length, seed, random, seconds }, out) => {
  [out.left, out.right].forEach((samples, c) => {
    const rumble = new BrownNoise(seed + 19 * c);
    const lowpass = new Biquad("lowpass", 260);
    for (let i = 0; i < length; i++) samples[i] = 1.4 * lowpass.process(rumble.next());
  });
  const decay = decayPerSample(0.03);
  const jitter = new WhiteNoise(seed + 23);
  for (let at = random.range(0, 0.6); at < seconds; at += random.range(0.25, 0.9)) {
    const [from, to] = eventRange(at, 0.12, length, SAMPLE_RATE);
    const start = random.range(300, 700);
    const rise = random.range(4, 9);
    const pan = random.range(-0.7, 0.7);
    let level = 0.5;
    let phase = 0;
    for (let i = from; i < to; i++) {
      const t = (i - from) / SAMPLE_RATE;
      phase += (start * (1 + rise * t) + 3 * jitter.next()) / SAMPLE_RATE;
      level *= decay;
      const sample = level * Math.sin(2 * Math.PI * phase);
      out.left[i] = (out.left[i] ?? 0) + sample * (1 - pan);
      out.right[i] = (out.right[i] ?? 0) + sample * (1 + pan);
    }
  }
};
