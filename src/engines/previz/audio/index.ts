import { lightningStrikes } from "../lightning.ts";
import type { MusicGenre } from "../scene-plan.ts";
import type { Storyboard } from "../storyboard.ts";
import { drawBeds } from "./beds/index.ts";
import type { BedName } from "./beds/index.ts";
import { SAMPLE_RATE } from "./dsp.ts";
import { CROSSFADE, mixShots } from "./mixer.ts";
import type { ShotMix } from "./mixer.ts";
import { mouthOpenness } from "./mouth.ts";
import { addMusic, musicOf } from "./music.ts";
import { speakShot } from "./voice/speech.ts";
import type { ShotVoice, SpeechSource, SpokenLine } from "./voice/speech.ts";
import { encodeWav } from "./wav.ts";

export { detectEspeak } from "./voice/espeak.ts";
export type { SpeechSource, SpokenLine } from "./voice/speech.ts";
export { BED_NAMES, bedsOf, type BedName } from "./beds/index.ts";

/**
 * Terminology
 * - sound track: the video's audio, synthesised whole before the frames are drawn: per shot an
 *   ambient bed, a music bed when asked for, and the dialogue, mixed and limited.
 * - mouth track: a speaking subject's mouth openness per frame of its shot, from the voice; the
 *   renderer draws it, and it is logged so lip sync can be checked.
 */

/** One speaker's lip sync in one shot. */
export interface MouthTrack {
  /** 0-based shot index. */
  shot: number;
  /** Index in the shot's subjects of the person speaking; null for a voice off screen (no mouth moves). */
  subject: number | null;
  lines: SpokenLine[];
  /** 0 (closed) – 1 (wide open) for each frame of the shot: what the renderer draws. */
  openness: number[];
}

export interface Soundtrack {
  sampleRate: number;
  channels: 2;
  /** Interleaved stereo, exactly the video's length; every sample under −3 dBFS. */
  samples: Float32Array;
  mouths: MouthTrack[];
  /** What each shot plays, for the log. */
  shots: Array<{ beds: BedName[]; music: MusicGenre | null }>;
  speech: SpeechSource;
}

export interface SoundtrackOptions {
  speech: SpeechSource;
  signal: AbortSignal;
  /** Told when a line falls back from espeak-ng to the babble voice. */
  warn?: (message: string) => void;
}

/** A storyboard's dialogue, spoken: each shot's voice track, and the mouths that follow it. */
export interface SpokenStoryboard {
  voices: ShotVoice[];
  mouths: MouthTrack[];
  speech: SpeechSource;
}

const samplesAt = (storyboard: Storyboard, frame: number) =>
  Math.round((frame * SAMPLE_RATE) / storyboard.fps);

/**
 * The first half of the sound track: every line spoken (espeak-ng runs in parallel processes),
 * and the lip sync it gives. The renderer needs this before it draws; the rest can wait.
 */
export async function speakStoryboard(
  storyboard: Storyboard,
  options: SoundtrackOptions,
): Promise<SpokenStoryboard> {
  const voices = await Promise.all(
    storyboard.shots.map((shot) =>
      speakShot(
        { scene: shot.scene, seed: shot.seed, seconds: samplesAt(storyboard, shot.frames) / SAMPLE_RATE },
        options.speech,
        options.signal,
        options.warn ?? (() => {}),
      ),
    ),
  );
  options.signal.throwIfAborted();
  const mouths = voices.flatMap((voice, index) =>
    mouthTracks(
      index,
      voice.samples,
      voice.lines,
      storyboard.shots[index]?.frames ?? 0,
      samplesAt(storyboard, 1),
    ),
  );
  return { voices, mouths, speech: options.speech };
}

/**
 * The second half: each shot's ambient bed and music, the voices over them, mixed and limited.
 * Pure computation on this thread.
 */
export function mixSoundtrack(storyboard: Storyboard, spoken: SpokenStoryboard): Soundtrack {
  const mixes: ShotMix[] = [];
  const shots: Soundtrack["shots"] = [];
  storyboard.shots.forEach((shot, index) => {
    const start = samplesAt(storyboard, shot.startFrame);
    const length = samplesAt(storyboard, shot.startFrame + shot.frames) - start;
    const { sound, beds } = drawBeds({
      scene: shot.scene,
      seed: shot.seed,
      seconds: shot.seconds,
      length: length + CROSSFADE,
      strikes: lightningStrikes(shot.scene, shot.seed),
    });
    const music = musicOf(shot.scene);
    if (music) addMusic(sound, music, start, length + CROSSFADE);
    const voice = spoken.voices[index]?.samples ?? new Float32Array(length);
    mixes.push({ start, length, ambience: sound, voice });
    shots.push({ beds: beds.map((bed) => bed.name), music: shot.scene.music });
  });
  return {
    sampleRate: SAMPLE_RATE,
    channels: 2,
    samples: mixShots(mixes, samplesAt(storyboard, storyboard.totalFrames)),
    mouths: spoken.mouths,
    shots,
    speech: spoken.speech,
  };
}

/**
 * Synthesises a storyboard's whole sound track. Same storyboard and speech source ⇒ the same
 * samples, bit for bit.
 * @example const { samples, mouths } = await composeSoundtrack(storyboard, { speech: { kind: "babble" }, signal });
 */
export async function composeSoundtrack(
  storyboard: Storyboard,
  options: SoundtrackOptions,
): Promise<Soundtrack> {
  return mixSoundtrack(storyboard, await speakStoryboard(storyboard, options));
}

/** One mouth track per speaker of a shot, each following only its own lines. */
function mouthTracks(
  shot: number,
  voice: Float32Array,
  lines: readonly SpokenLine[],
  frames: number,
  samplesPerFrame: number,
): MouthTrack[] {
  const speakers = [...new Set(lines.map((line) => line.speaker))];
  return speakers.map((subject) => {
    const own = lines.filter((line) => line.speaker === subject);
    if (subject === null) return { shot, subject, lines: own, openness: new Array<number>(frames).fill(0) };
    const masked = new Float32Array(voice.length);
    for (const line of own) {
      const [from, to] = [Math.round(line.start * SAMPLE_RATE), Math.round(line.end * SAMPLE_RATE)];
      masked.set(voice.subarray(from, to), from);
    }
    return { shot, subject, lines: own, openness: mouthOpenness(masked, frames, samplesPerFrame) };
  });
}

/** The storyboard with each speaking person's mouth track, for the renderer to draw. */
export function withMouths(storyboard: Storyboard, mouths: readonly MouthTrack[]): Storyboard {
  return {
    ...storyboard,
    shots: storyboard.shots.map((shot) => {
      const own = mouths.filter(
        (m): m is MouthTrack & { subject: number } =>
          m.shot === shot.index && m.subject !== null && shot.scene.subjects[m.subject]?.kind === "person",
      );
      return own.length === 0
        ? shot
        : { ...shot, mouths: own.map(({ subject, openness }) => ({ subject, openness })) };
    }),
  };
}

/** The sound track as a 16-bit PCM WAV file. */
export function soundtrackWav(soundtrack: Soundtrack): Uint8Array {
  return encodeWav(soundtrack);
}

/** One line for the log: which voice speaks, and what each shot plays. */
export function describeSoundtrack(soundtrack: Soundtrack): string {
  const { speech } = soundtrack;
  const voice =
    speech.kind === "espeak-ng"
      ? `voice: espeak-ng (${speech.version})`
      : "voice: babble (procedural; install espeak-ng for real speech)";
  const shots = soundtrack.shots.map(
    (shot, i) =>
      `shot ${i + 1}: ${[...shot.beds, ...(shot.music ? [`${shot.music} music`] : [])].join(", ") || "silence"}`,
  );
  return `previz: sound track AAC 48 kHz stereo; ${voice}; ${shots.join("; ")}`;
}

/**
 * The debug line of a mouth track: who speaks when, and the openness of every frame as one digit
 * (0 closed … 9 wide open).
 * @example "shot 1/2 lip sync: subject 1 (woman) says "we're late" 0.35–1.02 s; mouth per frame 0–9: 0000003799864…"
 */
export function describeMouth(track: MouthTrack, shots: number): string {
  const voice = track.lines[0]?.voice ?? "man";
  const who =
    track.subject === null ? `a voice off screen (${voice})` : `subject ${track.subject + 1} (${voice})`;
  const said = track.lines
    .map((line) => `"${line.text}" ${line.start.toFixed(2)}–${line.end.toFixed(2)} s`)
    .join(", ");
  const digits = track.openness.map((value) => Math.round(value * 9)).join("");
  return `shot ${track.shot + 1}/${shots} lip sync: ${who} says ${said}; mouth per frame 0–9: ${digits}`;
}
