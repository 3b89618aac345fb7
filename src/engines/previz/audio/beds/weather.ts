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

/**
 * Weather: rain (a broadband hiss with droplets), wind (noise through a swept band, in gusts)
 * and thunder (a crack on each lightning flash, then a rumble dying away).
 */

/** Rain: pink hiss over 500 Hz plus droplet ticks; through a window it loses its highs. */
export const rain: BedDrawer = ({ length, seed, indoors, scene }, out) => {
  const heavy = scene.atmosphere.includes("storm");
  const channels = [out.left, out.right].map((samples, c) => {
    const hiss = new PinkNoise(seed + 11 * c);
    const highpass = new Biquad("highpass", indoors ? 250 : 500);
    const lowpass = new Biquad("lowpass", indoors ? 1400 : 10_000);
    const drops = new WhiteNoise(seed + 101 + c);
    const chance = new WhiteNoise(seed + 211 + c);
    return { samples, hiss, highpass, lowpass, drops, chance, tick: 0 };
  });
  const rate = (heavy ? 900 : 450) / SAMPLE_RATE;
  const tickDecay = decayPerSample(0.0025);
  for (const ch of channels) {
    let swell = 1;
    for (let i = 0; i < length; i++) {
      // A slow swell, so the rain breathes rather than hums.
      if (i % CONTROL_STEP === 0) swell = 1 + 0.15 * Math.sin((2 * Math.PI * 0.11 * i) / SAMPLE_RATE + seed);
      if ((ch.chance.next() + 1) / 2 < rate) ch.tick = 0.4 + 0.6 * Math.abs(ch.chance.next());
      ch.tick *= tickDecay;
      const sample = ch.hiss.next() * swell + 0.8 * ch.tick * ch.drops.next();
      ch.samples[i] = ch.lowpass.process(ch.highpass.process(sample));
    }
  }
};

/** Wind: pink and brown noise through a band whose centre and level follow slow gusts. */
export const wind: BedDrawer = ({ length, seed, random, scene }, out) => {
  const strong = scene.atmosphere.includes("storm");
  const low = strong ? 260 : 200;
  const span = strong ? 700 : 420;
  [out.left, out.right].forEach((samples, c) => {
    const pink = new PinkNoise(seed + 7 * c);
    const brown = new BrownNoise(seed + 13 * c);
    const band = new Biquad("bandpass", low, 0.9);
    const [p1, p2, p3] = [random.range(0, 6), random.range(0, 6), random.range(0, 6)];
    let gust = 0;
    for (let i = 0; i < length; i++) {
      if (i % (4 * CONTROL_STEP) === 0) {
        const t = i / SAMPLE_RATE;
        gust =
          0.5 +
          0.3 * Math.sin(2 * Math.PI * 0.07 * t + p1) +
          0.15 * Math.sin(2 * Math.PI * 0.19 * t + p2) +
          0.05 * Math.sin(2 * Math.PI * 0.53 * t + p3);
        band.set(low + span * gust);
      }
      samples[i] = band.process(0.6 * pink.next() + 0.4 * brown.next()) * (0.3 + 0.7 * gust * gust);
    }
  });
};

/**
 * Thunder on each lightning strike of the shot: a crack starting on the flash's own frame, and a
 * low rumble rolling for a few seconds (cut by the next shot, as a cut does).
 */
export const thunder: BedDrawer = ({ length, seed, random, strikes }, out) => {
  strikes.forEach((strike, s) => {
    const [from, to] = eventRange(strike.at, 3.5, length, SAMPLE_RATE);
    const crackNoise = new WhiteNoise(seed + 31 * s);
    const rumbleNoise = new BrownNoise(seed + 37 * s);
    const crackFilter = new Biquad("highpass", 350);
    const rumbleFilter = new Biquad("lowpass", 160);
    const rolls = Array.from({ length: 3 }, () => ({
      at: random.range(0.2, 1.1),
      size: random.range(0.4, 1),
    }));
    const pan = (strike.x - 0.5) * 0.8;
    let [crack, roll] = [0, 0];
    for (let i = from; i < to; i++) {
      if ((i - from) % CONTROL_STEP === 0) {
        const t = i / SAMPLE_RATE - strike.at;
        crack = t < 0.004 ? t / 0.004 : Math.exp(-(t - 0.004) / 0.09);
        roll = (1 - Math.exp(-t / 0.12)) * Math.exp(-t / 0.9);
        for (const r of rolls)
          if (t > r.at)
            roll += r.size * 0.6 * (1 - Math.exp(-(t - r.at) / 0.1)) * Math.exp(-(t - r.at) / 0.5);
      }
      const sample =
        1.8 * crack * crackFilter.process(crackNoise.next()) +
        2.2 * roll * rumbleFilter.process(rumbleNoise.next());
      out.left[i] = (out.left[i] ?? 0) + sample * (1 - pan);
      out.right[i] = (out.right[i] ?? 0) + sample * (1 + pan);
    }
  });
};
