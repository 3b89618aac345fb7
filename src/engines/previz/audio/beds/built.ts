import {
  Biquad,
  BrownNoise,
  CONTROL_STEP,
  decayPerSample,
  PinkNoise,
  SAMPLE_RATE,
  WAVES,
  wave,
} from "../dsp.ts";
import type { BedDrawer } from "./types.ts";
import { eventRange } from "./types.ts";

/** Places people made: city traffic, the hum of a spaceship, a room's tone and a club's. */

/**
 * City traffic: a distant rumble, and cars passing one by one — tyre hiss and an engine's drone
 * swelling, panning across and dropping in pitch as they go by.
 */
export const traffic: BedDrawer = ({ length, seed, random, seconds }, out) => {
  [out.left, out.right].forEach((samples, c) => {
    const rumble = new BrownNoise(seed + 71 * c);
    const lowpass = new Biquad("lowpass", 200);
    for (let i = 0; i < length; i++) samples[i] = 0.5 * lowpass.process(rumble.next());
  });
  // One band of tyre hiss, each car reading it from its own place: noise is noise, and this
  // costs a read a sample instead of a noise source and a filter per car.
  const hiss = new Float32Array(length);
  const noise = new PinkNoise(seed + 73);
  const band = new Biquad("bandpass", 700, 0.7);
  for (let i = 0; i < length; i++) hiss[i] = band.process(noise.next());
  for (let at = random.range(-1, 1); at < seconds + 1; at += random.range(1.4, 3.8)) {
    const pass = random.range(2, 3.4);
    const direction = random.next() < 0.5 ? -1 : 1;
    const engine = random.range(42, 75);
    const level = random.range(0.5, 1);
    const offset = random.int(0, length - 1);
    const horn = random.next() < 0.12;
    const [from, to] = eventRange(at, pass, length, SAMPLE_RATE);
    let [phase, u, near, pitch, beep] = [0, 0, 0, 0, 0];
    for (let i = from; i < to; i++) {
      if ((i - from) % CONTROL_STEP === 0) {
        u = (i / SAMPLE_RATE - at) / pass;
        near = level * Math.exp(-(((u - 0.5) / 0.2) ** 2));
        // Doppler: higher coming, lower going.
        pitch = (engine * (1 + 0.05 * Math.tanh((0.5 - u) * 6))) / SAMPLE_RATE;
        beep = horn && u > 0.45 && u < 0.55 ? 0.25 * Math.sin((Math.PI * (u - 0.45)) / 0.1) : 0;
      }
      phase += pitch;
      let sample = near * (0.8 * (hiss[(i + offset) % length] ?? 0) + 0.5 * wave(WAVES.drone, phase));
      if (beep > 0)
        sample +=
          beep * (wave(WAVES.square, (400 * i) / SAMPLE_RATE) + wave(WAVES.square, (505 * i) / SAMPLE_RATE));
      const pan = direction * (u - 0.5) * 1.4;
      out.left[i] = (out.left[i] ?? 0) + sample * (1 - pan);
      out.right[i] = (out.right[i] ?? 0) + sample * (1 + pan);
    }
  }
};

/** Space: a deep machine hum beating slowly, and a faint airy shimmer drifting above it. */
export const spaceHum: BedDrawer = ({ length, seed, random }, out) => {
  const detune = random.range(0.2, 0.5);
  [out.left, out.right].forEach((samples, c) => {
    const air = new PinkNoise(seed + 83 * c);
    const shimmer = new Biquad("bandpass", 1500, 6);
    const drift = random.range(0, 6);
    const second = 110 + detune * (c === 0 ? 1 : -1);
    let beat = 1;
    for (let i = 0; i < length; i++) {
      const t = i / SAMPLE_RATE;
      if (i % (8 * CONTROL_STEP) === 0) {
        shimmer.set(1200 + 900 * Math.sin(2 * Math.PI * 0.05 * t + drift), 6);
        beat = 0.8 + 0.2 * Math.sin(2 * Math.PI * detune * t);
      }
      const hum =
        0.5 * wave(WAVES.sine, 55 * t) +
        0.3 * wave(WAVES.sine, second * t) +
        0.15 * wave(WAVES.sine, 165.4 * t);
      samples[i] = hum * beat + 0.6 * shimmer.process(air.next());
    }
  });
};

/** A room's tone: air handling and the city far off, low and quiet. */
export const roomTone: BedDrawer = ({ length, seed }, out) => {
  [out.left, out.right].forEach((samples, c) => {
    const rumble = new BrownNoise(seed + 89 * c);
    const lowpass = new Biquad("lowpass", 220);
    for (let i = 0; i < length; i++) samples[i] = lowpass.process(rumble.next());
  });
};

/** A club: its room tone with a mains hum, and glasses clinking now and then. */
export const clubRoom: BedDrawer = (context, out) => {
  roomTone(context, out);
  const { length, random, seconds } = context;
  const { left, right } = out;
  for (let i = 0; i < length; i++) {
    const t = i / SAMPLE_RATE;
    const hum = 0.04 * wave(WAVES.sine, 60 * t) + 0.02 * wave(WAVES.sine, 120 * t);
    left[i] = (left[i] ?? 0) + hum;
    right[i] = (right[i] ?? 0) + hum;
  }
  const ring = decayPerSample(0.06);
  for (let at = random.range(0, 2); at < seconds; at += random.range(1.2, 4)) {
    const pitch = random.range(2500, 4200);
    const pan = random.range(-0.8, 0.8);
    const [from, to] = eventRange(at, 0.4, length, SAMPLE_RATE);
    let level = 0.25;
    for (let i = from; i < to; i++) {
      const t = (i - from) / SAMPLE_RATE;
      level *= ring;
      const sample = level * (wave(WAVES.sine, pitch * t) + 0.5 * wave(WAVES.sine, 2.7 * pitch * t));
      out.left[i] = (out.left[i] ?? 0) + sample * (1 - pan);
      out.right[i] = (out.right[i] ?? 0) + sample * (1 + pan);
    }
  }
};
