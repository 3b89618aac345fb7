/**
 * Lip sync from the voice's envelope: per video frame, the loudness (RMS) of the speaking voice
 * over that frame's samples, normalised to the line's loud parts, lightly smoothed. Frames where
 * the voice is silent are exactly 0: the mouth closes between lines and stays closed without one.
 */

/** Below this share of the loudest frame a frame counts as silent. */
const GATE = 0.04;
/** The frame `REFERENCE × loudest` opens the mouth fully: loud syllables all look open. */
const REFERENCE = 0.85;

/**
 * @param voice mono samples of one shot's voice (the shot's length)
 * @returns openness 0–1 per frame, rounded to 3 decimals
 * @example mouthOpenness(voice, 72, 2000) // [0, 0, 0.412, 0.93, …]
 */
export function mouthOpenness(voice: Float32Array, frames: number, samplesPerFrame: number): number[] {
  const loudness = Array.from({ length: frames }, (_, frame) => {
    const from = frame * samplesPerFrame;
    const to = Math.min(voice.length, from + samplesPerFrame);
    let sum = 0;
    for (let i = from; i < to; i++) sum += (voice[i] ?? 0) ** 2;
    return to > from ? Math.sqrt(sum / (to - from)) : 0;
  });
  const loudest = Math.max(0, ...loudness);
  if (loudest === 0) return loudness.map(() => 0);
  const raw = loudness.map((value) =>
    value < Math.max(GATE * loudest, 1e-5) ? 0 : Math.min(1, value / (REFERENCE * loudest)) ** 0.8,
  );
  return raw.map((value, k) => {
    if (value === 0) return 0;
    const smoothed = 0.2 * (raw[k - 1] ?? value) + 0.6 * value + 0.2 * (raw[k + 1] ?? value);
    return Math.round(smoothed * 1000) / 1000;
  });
}
