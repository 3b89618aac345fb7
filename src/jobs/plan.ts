import type { AspectRatio, VideoInput } from "../contract/input.ts";

/** Output frame rate of every Shotline video. */
export const FPS = 24;

/** Pixel size of the output for each aspect ratio (Kling V3 Pro sizes). */
export const OUTPUT_SIZES: Record<AspectRatio, { width: number; height: number }> = {
  "16:9": { width: 1920, height: 1080 },
  "9:16": { width: 1080, height: 1920 },
  "1:1": { width: 1440, height: 1440 },
};

/** One shot of a generation plan, placed on exact frame boundaries. */
export interface PlannedShot {
  /** 0-based position in the storyboard. */
  index: number;
  prompt: string;
  seconds: number;
  /** First frame of the shot in the whole video (inclusive). */
  startFrame: number;
  /** Number of frames: exactly `seconds × FPS`. */
  frames: number;
}

/**
 * What an engine must produce, derived from a validated input: the exact size, frame rate and
 * the shots with their frame ranges. A single `prompt` is a one-shot storyboard.
 */
export interface GenerationPlan {
  width: number;
  height: number;
  fps: number;
  aspectRatio: AspectRatio;
  shots: PlannedShot[];
  totalFrames: number;
  totalSeconds: number;
  /** Seed for every random choice an engine makes, derived from the request so reruns match. */
  seed: number;
  /** The validated input the plan was made from: engines that call a model with this schema forward it. */
  input: VideoInput;
}

/**
 * Turns a validated input into the plan every engine follows.
 * @example makeGenerationPlan({ prompt: "a", aspect_ratio: "9:16", duration: "3" }).totalFrames // 72
 */
export function makeGenerationPlan(input: VideoInput): GenerationPlan {
  const { width, height } = OUTPUT_SIZES[input.aspect_ratio];
  const storyboard = input.multi_prompt ?? [{ prompt: input.prompt ?? "", duration: input.duration }];
  let startFrame = 0;
  const shots = storyboard.map((shot, index): PlannedShot => {
    const seconds = Number(shot.duration);
    const planned = { index, prompt: shot.prompt, seconds, startFrame, frames: seconds * FPS };
    startFrame += planned.frames;
    return planned;
  });
  return {
    width,
    height,
    fps: FPS,
    aspectRatio: input.aspect_ratio,
    shots,
    totalFrames: startFrame,
    totalSeconds: startFrame / FPS,
    seed: seedFromInput(input),
    input,
  };
}

/** FNV-1a over the canonical input: the same request always gets the same seed. */
export function seedFromInput(input: VideoInput): number {
  const text = JSON.stringify([
    input.prompt ?? null,
    input.multi_prompt ?? null,
    input.aspect_ratio,
    input.duration,
  ]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
