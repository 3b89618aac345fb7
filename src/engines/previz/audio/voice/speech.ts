import { mixSeeds } from "../../render/random.ts";
import type { DialogueLine, Pace, ScenePlan } from "../../scene-plan.ts";
import { SAMPLE_RATE } from "../dsp.ts";
import { babble } from "./babble.ts";
import { speakWithEspeak } from "./espeak.ts";

/**
 * A shot's dialogue as one voice track: each line synthesised (espeak-ng when installed, the
 * babble voice otherwise), levelled, and laid out in the shot one after another — hurried when
 * they would not fit, and never running over the cut.
 */

/** Where speech comes from. */
export type SpeechSource = { kind: "babble" } | { kind: "espeak-ng"; command: string; version: string };

/** A line as it is heard: when it starts and ends, in seconds from the start of its shot. */
export interface SpokenLine extends DialogueLine {
  start: number;
  end: number;
}

export interface ShotVoice {
  /** Mono, exactly the shot's length. */
  samples: Float32Array;
  lines: SpokenLine[];
}

const PACE_RATE: Record<Pace, number> = { slow: 0.92, normal: 1, energetic: 1.12 };
/** Fastest a line may be hurried to fit its shot. */
const MAX_RATE = 1.7;
const GAP_SECONDS = 0.3;
/** Speech stops this long before the cut, so the next shot starts clean. */
const TAIL_SECONDS = 0.12;
/** Level (RMS while speaking) by delivery: a whisper is quiet, a shout loud. */
const LOUDNESS = { normal: 0.1, whisper: 0.06, shout: 0.15 } as const;
const PEAK = 0.6;

export interface ShotForSpeech {
  scene: ScenePlan;
  seed: number;
  seconds: number;
}

/**
 * @param warn told when espeak-ng fails on a line and the babble voice says it instead
 */
export async function speakShot(
  shot: ShotForSpeech,
  source: SpeechSource,
  signal: AbortSignal,
  warn: (message: string) => void,
): Promise<ShotVoice> {
  const length = Math.round(shot.seconds * SAMPLE_RATE);
  const samples = new Float32Array(length);
  const { dialogue } = shot.scene;
  if (dialogue.length === 0) return { samples, lines: [] };
  const lead = Math.min(0.35, 0.1 * shot.seconds);
  const limit = shot.seconds - TAIL_SECONDS;
  const sayAll = (rate: number) =>
    Promise.all(dialogue.map((line, index) => say(line, rate, mixSeeds(shot.seed, 0x5bee, index))));
  const say = async (line: DialogueLine, rate: number, seed: number) => {
    let raw: Float32Array | undefined;
    if (source.kind === "espeak-ng") {
      raw = await speakWithEspeak(source.command, line, rate, signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        warn(`espeak-ng could not say "${line.text}" (${String(error)}); the babble voice says it`);
        return undefined;
      });
    }
    raw ??= babble(line.text, { ...line, rate, seed });
    return levelled(line.voice === "robot" ? robotise(raw) : raw, LOUDNESS[line.delivery]);
  };
  let rate = PACE_RATE[shot.scene.pace];
  let spoken = await sayAll(rate);
  const needed =
    spoken.reduce((sum, s) => sum + s.length / SAMPLE_RATE, 0) + GAP_SECONDS * (spoken.length - 1);
  if (lead + needed > limit && rate < MAX_RATE) {
    rate = Math.min(MAX_RATE, (rate * needed * 1.05) / Math.max(0.1, limit - lead));
    spoken = await sayAll(rate);
  }
  const lines: SpokenLine[] = [];
  let clock = lead;
  spoken.forEach((line, index) => {
    const from = Math.round(clock * SAMPLE_RATE);
    const to = Math.min(from + line.length, Math.floor(limit * SAMPLE_RATE));
    const dialogueLine = dialogue[index];
    if (to - from < 0.1 * SAMPLE_RATE || !dialogueLine) return;
    // A line cut short by the shot's end fades out over 20 ms instead of clicking.
    const fade = to < from + line.length ? Math.round(0.02 * SAMPLE_RATE) : 0;
    for (let i = from; i < to; i++) {
      const fadeOut = fade > 0 ? Math.min(1, (to - i) / fade) : 1;
      samples[i] = (line[i - from] ?? 0) * fadeOut;
    }
    lines.push({ ...dialogueLine, start: from / SAMPLE_RATE, end: to / SAMPLE_RATE });
    clock = to / SAMPLE_RATE + GAP_SECONDS;
  });
  return { samples, lines };
}

/**
 * Trims the silence around a line and sets its level: the RMS over the parts that sound (20 ms
 * windows within 40 dB of the loudest) becomes `target`, with the peak held below `PEAK`.
 */
function levelled(raw: Float32Array, target: number): Float32Array {
  let top = 0;
  for (const value of raw) top = Math.max(top, Math.abs(value));
  if (top === 0) return new Float32Array(0);
  const floor = top * 0.01;
  let first = 0;
  let last = raw.length - 1;
  while (first < last && Math.abs(raw[first] ?? 0) < floor) first++;
  while (last > first && Math.abs(raw[last] ?? 0) < floor) last--;
  const line = raw.slice(first, last + 1);
  const window = Math.round(0.02 * SAMPLE_RATE);
  const energies: number[] = [];
  for (let at = 0; at + window <= line.length; at += window) {
    let sum = 0;
    for (let i = at; i < at + window; i++) sum += (line[i] ?? 0) ** 2;
    energies.push(sum / window);
  }
  const loudest = Math.max(0, ...energies);
  const active = energies.filter((energy) => energy > loudest * 1e-4);
  const power = active.length > 0 ? active.reduce((a, b) => a + b, 0) / active.length : loudest;
  const gain = Math.min(target / Math.sqrt(power || 1), PEAK / top);
  for (let i = 0; i < line.length; i++) line[i] = (line[i] ?? 0) * gain;
  // 3 ms fades at both ends: a trimmed line never starts or stops on a click.
  const edge = Math.min(Math.round(0.003 * SAMPLE_RATE), Math.floor(line.length / 2));
  for (let i = 0; i < edge; i++) {
    line[i] = (line[i] ?? 0) * (i / edge);
    line[line.length - 1 - i] = (line[line.length - 1 - i] ?? 0) * (i / edge);
  }
  return line;
}

/** The robot's metallic edge: ring modulation at 55 Hz, half mixed in. */
function robotise(samples: Float32Array): Float32Array {
  return samples.map((value, i) => value * (0.55 + 0.45 * Math.sin((2 * Math.PI * 55 * i) / SAMPLE_RATE)));
}
