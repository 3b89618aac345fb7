import type { GenerationPlan } from "../../jobs/plan.ts";
import { conformVideos } from "../../media/conform.ts";
import { probeVideo, type VideoFacts } from "../../media/probe.ts";
import type { EngineContext } from "../port.ts";

export interface ConformOptions {
  ffmpegPath: string;
  ffprobePath: string;
  signal: AbortSignal;
  log: EngineContext["log"];
  /** Where a re-encoded file goes (the model's file is kept as is when it already conforms). */
  outputPath: string;
}

/**
 * The model's file, kept byte for byte when it already has the plan's size, frame rate and frame
 * count; otherwise re-encoded to them by the media layer's conform (cover-scaled and centre-cropped,
 * resampled, its last frame held or its tail cut), because every Shotline output has exactly those
 * and the worker refuses a file that does not.
 * @example const path = await conformToPlan(downloaded, plan, { ffmpegPath, ffprobePath, signal, log, outputPath });
 */
export async function conformToPlan(
  source: string,
  plan: GenerationPlan,
  options: ConformOptions,
): Promise<string> {
  const facts = await probeVideo(options.ffprobePath, source, { signal: options.signal });
  const differences = differencesFromPlan(facts, plan);
  if (differences.length === 0) return source;
  options.log(
    `fal: the model's file has ${differences.join(", ")}; re-encoding it to ${plan.width}×${plan.height}, ${plan.fps} fps, ${plan.totalFrames} frames (without its audio)`,
    "WARN",
  );
  const { width, height, fps, totalFrames } = plan;
  const encoded = await conformVideos({
    ffmpegPath: options.ffmpegPath,
    inputs: [{ path: source, frames: totalFrames }],
    width,
    height,
    fps,
    outputPath: options.outputPath,
    signal: options.signal,
  });
  return encoded.path;
}

/** What the worker's check would refuse (and what is not H.264), in words; empty when the file follows the plan. */
export function differencesFromPlan(facts: VideoFacts, plan: GenerationPlan): string[] {
  const differences: string[] = [];
  if (facts.width !== plan.width || facts.height !== plan.height) {
    differences.push(`size ${facts.width}×${facts.height}`);
  }
  if (facts.fps !== plan.fps) differences.push(`${facts.fps} fps`);
  if (facts.numFrames !== plan.totalFrames) differences.push(`${facts.numFrames} frames`);
  if (facts.codec !== "h264") differences.push(`codec ${facts.codec}`);
  return differences;
}
