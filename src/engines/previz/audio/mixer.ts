import { SAMPLE_RATE } from "./dsp.ts";
import type { Stereo } from "./dsp.ts";

/**
 * Puts the shots' sound together: ambience (beds and music) ducked under the voice, each shot
 * crossfading into the next over the first 5 ms of the new shot (the sound changes on the cut's
 * own frame, without a click), then a look-ahead limiter so no sample ever reaches full scale.
 */

/** Samples of the crossfade at each cut: 5 ms, all inside the first frame of the new shot. */
export const CROSSFADE = Math.round(0.005 * SAMPLE_RATE);
/** Highest peak allowed: −3 dBFS, leaving room for the AAC encoder's own overshoot. */
export const CEILING = 10 ** (-3 / 20);
/** How far the ambience dips under a voice at full level. */
const DUCK_DEPTH = 0.6;
/** The voice level at which the ambience is fully ducked. */
const DUCK_REFERENCE = 0.08;

export interface ShotMix {
  /** First sample of the shot in the video. */
  start: number;
  /** The shot's samples (without the crossfade tail). */
  length: number;
  /** Beds and music: `length + CROSSFADE` samples, the tail fading under the next shot. */
  ambience: Stereo;
  /** The voice: `length` samples, centred. */
  voice: Float32Array;
}

/**
 * @returns interleaved stereo, `total` frames
 * @example const samples = mixShots(shots, plan.totalFrames * 2000);
 */
export function mixShots(shots: readonly ShotMix[], total: number): Float32Array {
  const out = new Float32Array(total * 2);
  const attack = 1 - Math.exp(-1 / (0.01 * SAMPLE_RATE));
  const release = 1 - Math.exp(-1 / (0.25 * SAMPLE_RATE));
  shots.forEach((shot, index) => {
    let envelope = 0;
    const span = shot.length + (index < shots.length - 1 ? CROSSFADE : 0);
    const { start, length, voice: voices } = shot;
    const { left, right } = shot.ambience;
    for (let n = 0; n < span && start + n < total; n++) {
      const voice = n < length ? (voices[n] ?? 0) : 0;
      const level = Math.abs(voice);
      envelope += (level > envelope ? attack : release) * (level - envelope);
      const duck = 1 - DUCK_DEPTH * Math.min(1, envelope / DUCK_REFERENCE);
      const fade =
        index > 0 && n < CROSSFADE ? n / CROSSFADE : n >= length ? 1 - (n - length) / CROSSFADE : 1;
      const at = 2 * (start + n);
      out[at] = (out[at] ?? 0) + fade * duck * (left[n] ?? 0) + voice;
      out[at + 1] = (out[at + 1] ?? 0) + fade * duck * (right[n] ?? 0) + voice;
    }
  });
  fadeEnds(out);
  limit(out, CEILING);
  return out;
}

/** The track fades in over 5 ms and out over 10 ms: no click when playback starts or stops. */
function fadeEnds(out: Float32Array): void {
  const frames = out.length / 2;
  const fadeIn = Math.min(CROSSFADE, frames);
  const fadeOut = Math.min(2 * CROSSFADE, frames);
  for (let n = 0; n < fadeIn; n++) {
    out[2 * n] = (out[2 * n] ?? 0) * (n / fadeIn);
    out[2 * n + 1] = (out[2 * n + 1] ?? 0) * (n / fadeIn);
  }
  for (let n = 0; n < fadeOut; n++) {
    const at = 2 * (frames - 1 - n);
    out[at] = (out[at] ?? 0) * (n / fadeOut);
    out[at + 1] = (out[at + 1] ?? 0) * (n / fadeOut);
  }
}

/**
 * A look-ahead limiter on interleaved stereo, offline: the gain each sample needs to stay under
 * `ceiling`, then ramps — down over 2 ms before a peak, back up over 150 ms after — with both
 * passes only ever lowering it, so every sample ends at or under the ceiling, both channels alike.
 */
export function limit(samples: Float32Array, ceiling: number): void {
  let top = 0;
  for (const value of samples) top = Math.max(top, Math.abs(value));
  if (top <= ceiling) return;
  const frames = samples.length / 2;
  const gain = new Float32Array(frames);
  for (let n = 0; n < frames; n++) {
    const top = Math.max(Math.abs(samples[2 * n] ?? 0), Math.abs(samples[2 * n + 1] ?? 0));
    gain[n] = top > ceiling ? ceiling / top : 1;
  }
  const up = 1 / (0.15 * SAMPLE_RATE);
  const down = 1 / (0.002 * SAMPLE_RATE);
  for (let n = 1; n < frames; n++) gain[n] = Math.min(gain[n] ?? 1, (gain[n - 1] ?? 1) + up);
  for (let n = frames - 2; n >= 0; n--) gain[n] = Math.min(gain[n] ?? 1, (gain[n + 1] ?? 1) + down);
  for (let n = 0; n < frames; n++) {
    const g = gain[n] ?? 1;
    // Float32 rounding could leave a hair over the ceiling: clamp what the gain did not reach.
    samples[2 * n] = Math.max(-ceiling, Math.min(ceiling, (samples[2 * n] ?? 0) * g));
    samples[2 * n + 1] = Math.max(-ceiling, Math.min(ceiling, (samples[2 * n + 1] ?? 0) * g));
  }
}
