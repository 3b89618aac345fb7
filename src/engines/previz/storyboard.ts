import type { GenerationPlan } from "../../jobs/plan.ts";
import { interpretPrompt } from "./interpret/index.ts";
import { mixSeeds } from "./render/random.ts";
import type { ScenePlan } from "./scene-plan.ts";

/** One shot as the renderer sees it: its scene plan, its seed and its exact frame range. */
export interface StoryboardShot {
  /** 0-based position in the storyboard. */
  index: number;
  prompt: string;
  scene: ScenePlan;
  /** The request's seed mixed with the shot's index, so shots differ but reruns match. */
  seed: number;
  /** First frame of the shot in the whole video (inclusive). */
  startFrame: number;
  frames: number;
  seconds: number;
  /** Speaking subjects' mouths, when the shot has dialogue and a sound track was made. */
  mouths?: ShotMouth[];
}

/** Lip sync for one shot: who speaks, and how open their mouth is on each frame of the shot. */
export interface ShotMouth {
  /** Index in the shot's `scene.subjects`. */
  subject: number;
  /** 0 (closed) – 1 (wide open), one value per frame of the shot. */
  openness: number[];
}

/**
 * Everything needed to draw any frame of a video. Plain data (no functions, no canvas), so it can
 * be posted to a drawing thread and give the same pixels there as here.
 */
export interface Storyboard {
  width: number;
  height: number;
  fps: number;
  totalFrames: number;
  shots: StoryboardShot[];
}

/**
 * Reads every shot's prompt into its scene plan.
 * @example makeStoryboard(makeGenerationPlan(input)).shots[0]?.scene.setting // "city"
 */
export function makeStoryboard(plan: GenerationPlan): Storyboard {
  return {
    width: plan.width,
    height: plan.height,
    fps: plan.fps,
    totalFrames: plan.totalFrames,
    shots: plan.shots.map((shot) => ({
      index: shot.index,
      prompt: shot.prompt,
      scene: interpretPrompt(shot.prompt),
      seed: mixSeeds(plan.seed, shot.index),
      startFrame: shot.startFrame,
      frames: shot.frames,
      seconds: shot.seconds,
    })),
  };
}

/** The shot that frame `index` (0-based over the whole video) belongs to. */
export function shotAt(storyboard: Storyboard, index: number): StoryboardShot {
  const shot = storyboard.shots.find((s) => index >= s.startFrame && index < s.startFrame + s.frames);
  if (shot === undefined) throw new RangeError(`Frame ${index} is outside the storyboard`);
  return shot;
}
