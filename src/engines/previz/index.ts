import { join } from "node:path";

import { createCanvas } from "@napi-rs/canvas";

import { EncodeAbortedError } from "../../media/errors.ts";
import { startEncoder } from "../../media/encoder.ts";
import type { Engine } from "../port.ts";
import { interpretPrompt } from "./interpret.ts";
import { mixSeeds } from "./random.ts";
import { createShotRenderer } from "./render.ts";
import { describeScenePlan } from "./scene-plan.ts";

export { interpretPrompt } from "./interpret.ts";
export { describeScenePlan, type ScenePlan } from "./scene-plan.ts";

export interface PrevizEngineOptions {
  ffmpegPath: string;
}

export const PREVIZ_DESCRIPTION =
  "Procedural previsualisation renderer (Skia on the CPU, driven by prompt keywords) — not a neural model";

/**
 * Share of the progress bar for drawing; the rest is ffmpeg finishing the file, so that 1 is only
 * reported once the MP4 exists.
 */
const DRAWING_SHARE = 0.98;

/**
 * The embedded default engine: reads each shot's prompt into a scene plan and draws it
 * procedurally, frame by frame, into ffmpeg. Same plan ⇒ byte-identical video. A cancel (the
 * context's signal) rejects with `EncodeAbortedError` and leaves no ffmpeg and no partial file.
 * @example
 * const engine = createPrevizEngine({ ffmpegPath: defaultMediaTools().ffmpegPath });
 * const { path } = await engine.generate(plan, { signal, log, progress, workDir });
 */
export function createPrevizEngine(options: PrevizEngineOptions): Engine {
  return {
    name: "previz",
    description: PREVIZ_DESCRIPTION,
    async generate(plan, { signal, log, progress, workDir }) {
      if (signal.aborted) throw new EncodeAbortedError({ cause: signal.reason });
      const { width, height, fps } = plan;
      log(
        `previz: ${PREVIZ_DESCRIPTION}. Drawing ${plan.shots.length} shot(s), ${width}×${height} at ${fps} fps`,
      );
      const canvas = createCanvas(width, height);
      const ctx = canvas.getContext("2d", { alpha: false });
      const encoder = startEncoder({
        ffmpegPath: options.ffmpegPath,
        width,
        height,
        fps,
        outputPath: join(workDir, "output.mp4"),
        signal,
      });
      try {
        let framesDrawn = 0;
        for (const shot of plan.shots) {
          const scene = interpretPrompt(shot.prompt);
          log(describeScenePlan(scene, { index: shot.index, count: plan.shots.length }));
          const seed = mixSeeds(plan.seed, shot.index);
          const renderer = createShotRenderer(ctx, scene, { width, height, seed, seconds: shot.seconds });
          for (let frame = 0; frame < shot.frames; frame++) {
            // Checked before each frame so a cancel never waits for a whole shot.
            if (signal.aborted) throw new EncodeAbortedError({ cause: signal.reason });
            renderer.drawFrame(shot.frames > 1 ? frame / (shot.frames - 1) : 0, frame / fps);
            await encoder.writeFrame(canvas.data());
            framesDrawn++;
            progress((DRAWING_SHARE * framesDrawn) / plan.totalFrames);
          }
        }
        const { path } = await encoder.finish();
        progress(1);
        return { path };
      } catch (error) {
        await encoder.abort();
        throw error;
      }
    },
  };
}
