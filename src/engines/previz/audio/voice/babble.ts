import type { Delivery, Language, Voice } from "../../scene-plan.ts";
import { Biquad, OnePole, SAMPLE_RATE, WhiteNoise } from "../dsp.ts";
import { syllabify } from "./syllables.ts";
import type { Vowel } from "./syllables.ts";

/**
 * The babble voice: a procedural speaker that needs nothing installed. A glottal buzz at the
 * speaker's pitch goes through three formant filters that glide from vowel to vowel, syllable by
 * syllable, timed from the text (see syllables.ts); consonants are bursts and hisses of noise.
 * It says no words but has the rhythm, pitch and melody of the line, which is what an animatic's
 * scratch track and lip sync need.
 */

export interface VoiceOptions {
  voice: Voice;
  delivery: Delivery;
  language: Language;
  /** 1 is a natural pace; 1.3 says the line in 1/1.3 of the time. */
  rate: number;
  seed: number;
}

/** Speaking pitch (Hz) by voice. */
const PITCH: Record<Voice, number> = { man: 112, woman: 205, child: 285, robot: 98 };
/** Formant scale by voice: shorter vocal tracts have higher formants. */
const TRACT: Record<Voice, number> = { man: 1, woman: 1.16, child: 1.32, robot: 1.05 };
/** F1, F2, F3 (Hz) of a, e, i, o, u for an adult male voice. */
const FORMANTS: Record<Vowel, readonly [number, number, number]> = {
  0: [730, 1090, 2440],
  1: [530, 1840, 2480],
  2: [300, 2250, 3000],
  3: [570, 840, 2410],
  4: [320, 870, 2240],
};
const NASAL: readonly [number, number, number] = [260, 1000, 2200];
const CONTROL_STEP = 32;

/**
 * @example const samples = babble("we're late", { voice: "woman", delivery: "whisper", language: "en", rate: 1, seed: 7 });
 */
export function babble(text: string, options: VoiceOptions): Float32Array {
  const { voice, delivery, rate, seed } = options;
  const { units, question } = syllabify(text, options.language);
  const timeline: Array<{ start: number; end: number; unit: (typeof units)[number] }> = [];
  let clock = 0.03;
  for (const unit of units) {
    const seconds = unit.seconds / rate;
    timeline.push({ start: clock, end: clock + seconds, unit });
    clock += seconds;
  }
  const total = clock + 0.06;
  const out = new Float32Array(Math.ceil(total * SAMPLE_RATE));
  const noise = new WhiteNoise(seed);
  const aspiration = new WhiteNoise(seed + 1);
  const formant1 = new Biquad("bandpass", 500, 5);
  const formant2 = new Biquad("bandpass", 1500, 5);
  const formant3 = new Biquad("bandpass", 2500, 5);
  const hiss = new Biquad("highpass", 3500);
  const tilt = new OnePole(delivery === "shout" ? 3200 : 1800);
  let [f1, f2, f3] = [500, 1500, 2500];
  const tract = TRACT[voice];
  const whisper = delivery === "whisper";
  const base = PITCH[voice] * (delivery === "shout" ? 1.3 : 1);
  let phase = 0;
  let current = 0;
  let targets: readonly [number, number, number] = FORMANTS[0];
  let consonant: "none" | "plosive" | "fricative" | "nasal" = "none";
  let level = 0;
  let pitch = base;
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    if (i % CONTROL_STEP === 0) {
      while (current < timeline.length - 1 && t >= (timeline[current]?.end ?? 0)) current++;
      const slot = timeline[current];
      level = 0;
      consonant = "none";
      if (slot && slot.unit.kind === "syllable" && t >= slot.start && t < slot.end) {
        const { unit } = slot;
        const length = slot.end - slot.start;
        const u = (t - slot.start) / length;
        const onsetShare = unit.onset === "none" ? 0 : unit.onset === "plosive" ? 0.12 : 0.28;
        consonant = u < onsetShare ? unit.onset : "none";
        targets = consonant === "nasal" ? NASAL : FORMANTS[unit.vowel];
        // Each syllable swells and fades: these dips are what the mouth follows.
        const attack = Math.min(1, (t - slot.start) / 0.025);
        const release = Math.min(1, (slot.end - t) / 0.045);
        level = Math.min(attack, release) * (unit.stressed ? 1 : 0.78);
        if (consonant === "plosive") level *= u < onsetShare * 0.4 ? 0.9 : 0.15;
        if (consonant === "nasal") level *= 0.45;
        // Melody: falling through the line, rising on a question's last syllables, tones in Mandarin.
        const through = t / total;
        let melody = 1.1 - 0.2 * through + (unit.stressed ? 0.08 : 0);
        if (question && through > 0.75) melody += 0.6 * (through - 0.75);
        if (unit.tone === 1) melody *= 1.12;
        else if (unit.tone === 2) melody *= 0.95 + 0.22 * u;
        else if (unit.tone === 3) melody *= 0.95 - 0.3 * u * (1 - u);
        else if (unit.tone === 4) melody *= 1.2 - 0.3 * u;
        pitch = voice === "robot" ? base : base * melody * (1 + 0.006 * Math.sin(2 * Math.PI * 5.2 * t));
      }
      // Formants glide toward the vowel's, retuned every few samples (bandwidths 70, 110, 150 Hz).
      f1 += 0.35 * (targets[0] * tract - f1);
      f2 += 0.35 * (targets[1] * tract - f2);
      f3 += 0.35 * (targets[2] * tract - f3);
      formant1.set(f1, f1 / 70);
      formant2.set(f2, f2 / 110);
      formant3.set(f3, f3 / 150);
    }
    if (level === 0) {
      // Keep the filters ringing down naturally rather than cutting them.
      out[i] = formant1.process(0) + 0.55 * formant2.process(0) + 0.28 * formant3.process(0);
      continue;
    }
    phase += pitch / SAMPLE_RATE;
    phase -= Math.floor(phase);
    let source: number;
    if (whisper) source = 0.6 * aspiration.next();
    else if (voice === "robot") source = phase < 0.5 ? 0.7 : -0.7;
    else source = tilt.process(2 * phase - 1) * 3 + 0.04 * aspiration.next();
    if (consonant === "fricative" || consonant === "plosive") source = 0.2 * source + 0.9 * noise.next();
    let sample = formant1.process(source) + 0.55 * formant2.process(source) + 0.28 * formant3.process(source);
    if (consonant === "fricative") sample += 0.5 * hiss.process(noise.next());
    out[i] = level * sample;
  }
  return out;
}
