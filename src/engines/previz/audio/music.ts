import { hashUnit, mixSeeds } from "../render/random.ts";
import type { MusicGenre, Pace, ScenePlan } from "../scene-plan.ts";
import { decayPerSample, rms, SAMPLE_RATE, stereo, WAVES, WhiteNoise, wave } from "./dsp.ts";
import type { Stereo } from "./dsp.ts";

/**
 * A simple music bed, written like a score: a four-bar chord loop in a major key, or a minor one
 * when the shot is moody or noir, at a tempo set by its pace, arranged per kind of music (jazz:
 * walking bass, electric piano and brushes; orchestral: strings and cellos; electronic: kick,
 * hats, bass and pad; piano: arpeggios; ambient: a pad and bells). The loop is read at the
 * video's own clock, so consecutive shots asking for the same music play on across the cut.
 */

export interface MusicCue {
  genre: MusicGenre;
  minor: boolean;
  pace: Pace;
}

export function musicOf(scene: ScenePlan): MusicCue | undefined {
  if (scene.music === null) return undefined;
  return { genre: scene.music, minor: scene.light.moody || scene.style === "noir", pace: scene.pace };
}

export const sameMusic = (a: MusicCue | undefined, b: MusicCue | undefined) =>
  a !== undefined && b !== undefined && a.genre === b.genre && a.minor === b.minor && a.pace === b.pace;

const TEMPO: Record<MusicGenre, Record<Pace, number>> = {
  jazz: { slow: 76, normal: 104, energetic: 152 },
  orchestral: { slow: 64, normal: 84, energetic: 120 },
  electronic: { slow: 100, normal: 122, energetic: 128 },
  piano: { slow: 66, normal: 88, energetic: 116 },
  ambient: { slow: 56, normal: 66, energetic: 84 },
};

/** Chords as [root in semitones above the key, intervals]; one a bar, four bars looped. */
type Chord = readonly [number, readonly number[]];
const MAJ = [0, 4, 7];
const MIN = [0, 3, 7];
const PROGRESSIONS: Record<"jazz" | "other", Record<"major" | "minor", readonly Chord[]>> = {
  jazz: {
    major: [
      [2, [0, 3, 7, 10]],
      [7, [0, 4, 7, 10]],
      [0, [0, 4, 7, 11]],
      [9, [0, 3, 7, 10]],
    ],
    minor: [
      [0, [0, 3, 7, 10]],
      [5, [0, 3, 7, 10]],
      [10, [0, 4, 7, 10]],
      [3, [0, 4, 7, 11]],
    ],
  },
  other: {
    major: [
      [0, MAJ],
      [7, MAJ],
      [9, MIN],
      [5, MAJ],
    ],
    minor: [
      [0, MIN],
      [8, MAJ],
      [3, MAJ],
      [10, MAJ],
    ],
  },
};
/** The key's root as a MIDI note (F for jazz, D for the rest): warm, and low enough for a bass. */
const KEY: Record<MusicGenre, number> = { jazz: 53, orchestral: 50, electronic: 50, piano: 50, ambient: 50 };

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

/** A note in the loop: when it starts (seconds into the loop), where it sits, its samples. */
interface Note {
  at: number;
  pan: number;
  samples: Float32Array;
}

/**
 * Instruments, each filling a note's samples with envelopes stepped sample by sample (a multiply,
 * not an exponential, per sample).
 */
function note(seconds: number, fill: (out: Float32Array) => void): Float32Array {
  const out = new Float32Array(Math.ceil(seconds * SAMPLE_RATE));
  fill(out);
  return out;
}

const attackOf = (i: number, seconds: number) => Math.min(1, i / (seconds * SAMPLE_RATE));

const INSTRUMENTS = {
  epiano: (f: number, v: number) =>
    note(2.5, (out) => {
      const [k1, k2] = [decayPerSample(1.1), decayPerSample(0.25)];
      let [e1, e2] = [v, 0.3];
      for (let i = 0; i < out.length; i++, e1 *= k1, e2 *= k2) {
        const t = i / SAMPLE_RATE;
        out[i] = attackOf(i, 0.004) * e1 * (wave(WAVES.sine, f * t) + e2 * wave(WAVES.sine, 2 * f * t));
      }
    }),
  bass: (f: number, v: number) =>
    note(1.2, (out) => {
      const k = decayPerSample(0.45);
      let e = v;
      for (let i = 0; i < out.length; i++, e *= k) {
        const t = i / SAMPLE_RATE;
        out[i] = attackOf(i, 0.006) * e * (wave(WAVES.sine, f * t) + 0.25 * wave(WAVES.saw, f * t));
      }
    }),
  /** Brushes and hats: differenced white noise (bright), a quick decay. */
  brush: (v: number, decay: number, seed: number) =>
    note(6 * decay, (out) => {
      const noise = new WhiteNoise(seed);
      const k = decayPerSample(decay);
      let [e, last] = [v, 0];
      for (let i = 0; i < out.length; i++, e *= k) {
        const x = noise.next();
        out[i] = e * (x - last);
        last = x;
      }
    }),
  kick: (v: number) =>
    note(0.6, (out) => {
      const [kAmp, kPitch] = [decayPerSample(0.22), decayPerSample(0.03)];
      let [e, sweep, phase] = [v, 1, 0];
      for (let i = 0; i < out.length; i++, e *= kAmp, sweep *= kPitch) {
        phase += (48 + 120 * sweep) / SAMPLE_RATE;
        out[i] = e * wave(WAVES.sine, phase);
      }
    }),
  /** Bowed strings and synth pads: two detuned soft saws swelling in, held, then released. */
  bowed: (f: number, v: number, hold: number, attack: number, release: number) =>
    note(hold + 5 * release, (out) => {
      const k = decayPerSample(release);
      const start = Math.round(hold * SAMPLE_RATE);
      let e = v;
      for (let i = 0; i < out.length; i++) {
        const t = i / SAMPLE_RATE;
        if (i >= start) e *= k;
        out[i] = attackOf(i, attack) * e * (wave(WAVES.saw, f * t) + wave(WAVES.saw, 1.005 * f * t));
      }
    }),
  piano: (f: number, v: number) =>
    note(3, (out) => {
      const [k1, k2, k3] = [decayPerSample(1.4), decayPerSample(0.6), decayPerSample(0.3)];
      let [e1, e2, e3] = [v, 0.4 * v, 0.15 * v];
      for (let i = 0; i < out.length; i++, e1 *= k1, e2 *= k2, e3 *= k3) {
        const t = i / SAMPLE_RATE;
        out[i] =
          attackOf(i, 0.003) *
          (e1 * wave(WAVES.sine, f * t) +
            e2 * wave(WAVES.sine, 2.001 * f * t) +
            e3 * wave(WAVES.sine, 3.003 * f * t));
      }
    }),
  bell: (f: number, v: number) =>
    note(6, (out) => {
      const k = decayPerSample(1.8);
      let e = v;
      for (let i = 0; i < out.length; i++, e *= k) {
        const t = i / SAMPLE_RATE;
        out[i] = attackOf(i, 0.002) * e * (wave(WAVES.sine, f * t) + 0.35 * wave(WAVES.sine, 2.76 * f * t));
      }
    }),
  pluck: (f: number, v: number) =>
    note(0.9, (out) => {
      const k = decayPerSample(0.18);
      let e = v;
      for (let i = 0; i < out.length; i++, e *= k)
        out[i] = attackOf(i, 0.003) * e * wave(WAVES.square, (f * i) / SAMPLE_RATE);
    }),
};

/** The notes of bar `bar` of the loop (0–3). */
function barNotes(cue: MusicCue, bar: number, beat: number): Note[] {
  const chords = PROGRESSIONS[cue.genre === "jazz" ? "jazz" : "other"][cue.minor ? "minor" : "major"];
  const [root, intervals] = chords[bar % chords.length] ?? [0, MAJ];
  const [nextRoot] = chords[(bar + 1) % chords.length] ?? [0, MAJ];
  const key = KEY[cue.genre];
  const start = bar * 4 * beat;
  const tone = (octave: number, k: number) =>
    hz(
      key +
        root +
        12 * octave +
        (intervals[k % intervals.length] ?? 0) +
        12 * Math.floor(k / intervals.length),
    );
  const vary = (step: number) => 0.85 + 0.3 * hashUnit(bar, step, 99);
  const notes: Note[] = [];
  const add = (at: number, pan: number, samples: Float32Array) =>
    notes.push({ at: start + at * beat, pan, samples });
  const seed = (step: number) => mixSeeds(bar, step, 0x5a17);
  const bars = 4 * beat;
  switch (cue.genre) {
    case "jazz": {
      // Walking bass: root, third, fifth, then a half step into the next chord.
      const walk = [tone(-1, 0), tone(-1, 1), tone(-1, 2), hz(key + nextRoot - 12 - 1)];
      walk.forEach((f, b) => add(b, 0, INSTRUMENTS.bass(f, 0.55 * vary(b))));
      // Electric piano comping, swung, on two and the "and" of three.
      const swing = 2 / 3;
      for (const at of [1, 2 + swing])
        for (let k = 1; k < intervals.length; k++)
          add(at, -0.3, INSTRUMENTS.epiano(tone(0, k), 0.16 * vary(10 + k)));
      for (let b = 0; b < 4; b++) {
        add(b, 0.4, INSTRUMENTS.brush(0.1 * vary(20 + b), 0.07, seed(b)));
        if (b % 2 === 1) add(b + swing, 0.4, INSTRUMENTS.brush(0.06, 0.05, seed(10 + b)));
      }
      break;
    }
    case "orchestral": {
      for (let k = 0; k < 3; k++) add(0, (k - 1) * 0.4, INSTRUMENTS.bowed(tone(0, k), 0.12, bars, 0.5, 0.35));
      add(0, 0, INSTRUMENTS.bowed(tone(-1, 0), 0.16, bars, 0.5, 0.35));
      if (cue.pace === "energetic") add(0, 0, INSTRUMENTS.kick(0.5));
      break;
    }
    case "electronic": {
      for (let b = 0; b < 4; b++) {
        add(b, 0, INSTRUMENTS.kick(0.7));
        add(b + 0.5, 0.3, INSTRUMENTS.brush(0.12, 0.025, seed(b)));
        add(b, 0, INSTRUMENTS.pluck(tone(-1, 0), 0.22));
        add(b + 0.5, 0, INSTRUMENTS.pluck(tone(-1, 0), 0.16));
        if (cue.pace !== "slow")
          for (let step = 0; step < 4; step++)
            add(b + step / 4, -0.4, INSTRUMENTS.pluck(tone(1, b * 4 + step), 0.05));
      }
      add(0, 0, INSTRUMENTS.bowed(tone(0, 0), 0.05, bars, 1.2, 0.8));
      add(0, 0.2, INSTRUMENTS.bowed(tone(0, 1), 0.04, bars, 1.2, 0.8));
      break;
    }
    case "piano": {
      add(0, -0.1, INSTRUMENTS.piano(tone(-1, 0), 0.3));
      const steps = cue.pace === "slow" ? 4 : 8;
      for (let step = 0; step < steps; step++)
        add(
          (step * 4) / steps,
          0.15,
          INSTRUMENTS.piano(tone(0, [0, 1, 2, 3, 2, 1, 2, 1][step] ?? 0), 0.18 * vary(step)),
        );
      break;
    }
    case "ambient": {
      for (let k = 0; k < 3; k++) add(0, (k - 1) * 0.3, INSTRUMENTS.bowed(tone(0, k), 0.07, bars, 1.2, 0.8));
      for (let b = 0; b < 4; b += 2)
        if (hashUnit(bar, b, 5) < 0.7)
          add(
            b,
            0.4 * (hashUnit(bar, b, 6) - 0.5),
            INSTRUMENTS.bell(tone(1, Math.floor(hashUnit(bar, b, 8) * 4)), 0.1),
          );
      break;
    }
  }
  return notes;
}

const BARS_IN_LOOP = 4;
/** Level of every music bed (RMS): under the ambient beds' loudest, well under a voice. */
const MUSIC_RMS = 0.035;
/** Loops made recently, by cue: a storyboard's shots, and the next requests, share them. */
const loops = new Map<string, Stereo>();
const LOOPS_KEPT = 4;

/**
 * The cue's four-bar loop, the tails of its last notes wrapped round to its start so that it
 * repeats seamlessly.
 */
function loopOf(cue: MusicCue): Stereo {
  const key = `${cue.genre}/${cue.minor}/${cue.pace}`;
  const kept = loops.get(key);
  if (kept) return kept;
  const beat = 60 / TEMPO[cue.genre][cue.pace];
  const length = Math.round(BARS_IN_LOOP * 4 * beat * SAMPLE_RATE);
  const loop = stereo(length);
  for (let bar = 0; bar < BARS_IN_LOOP; bar++) {
    for (const { at, pan, samples } of barNotes(cue, bar, beat)) {
      const start = Math.round(at * SAMPLE_RATE);
      const [left, right] = [1 - pan, 1 + pan];
      for (let i = 0; i < samples.length; i++) {
        const at = (start + i) % length;
        const sample = samples[i] ?? 0;
        loop.left[at] = (loop.left[at] ?? 0) + left * sample;
        loop.right[at] = (loop.right[at] ?? 0) + right * sample;
      }
    }
  }
  // Every kind of music sits at the same level, whatever its instruments add up to.
  const level = Math.hypot(rms(loop.left), rms(loop.right)) / Math.SQRT2;
  const gain = level > 0 ? MUSIC_RMS / level : 0;
  for (let i = 0; i < length; i++) {
    loop.left[i] = (loop.left[i] ?? 0) * gain;
    loop.right[i] = (loop.right[i] ?? 0) * gain;
  }
  if (loops.size >= LOOPS_KEPT) loops.delete(loops.keys().next().value ?? "");
  loops.set(key, loop);
  return loop;
}

/**
 * Adds the music to `out`, which holds video samples `[offset, offset + length)`: the loop read
 * at the video's own clock, so that shots with the same music continue it across the cut.
 * @example addMusic(out, musicOf(scene), shot.startFrame * 2000, out.left.length)
 */
export function addMusic(out: Stereo, cue: MusicCue, offset: number, length: number): void {
  const loop = loopOf(cue);
  const size = loop.left.length;
  const { left, right } = out;
  for (let i = 0; i < length; i++) {
    const at = (offset + i) % size;
    left[i] = (left[i] ?? 0) + (loop.left[at] ?? 0);
    right[i] = (right[i] ?? 0) + (loop.right[at] ?? 0);
  }
}
