import { join } from "node:path";

import { EncodeAbortedError } from "../../media/errors.ts";
import { startEncoder } from "../../media/encoder.ts";
import type { Engine } from "../port.ts";
import { createFrameRenderer } from "./frames/frame-renderer.ts";
import { createDrawThreadPool } from "./frames/thread-pool.ts";
import type { DrawThread } from "./frames/draw-thread.ts";
import { PREVIZ_DESCRIPTION } from "./description.ts";
import { describeScenePlan } from "./scene-plan.ts";
import { makeStoryboard } from "./storyboard.ts";
import type { Storyboard } from "./storyboard.ts";

export { interpretPrompt } from "./interpret/index.ts";
export { describeScenePlan, type ScenePlan } from "./scene-plan.ts";

export interface PrevizEngineOptions {
  ffmpegPath: string;
  /**
   * Draw in a worker thread while the main thread feeds ffmpeg (default true). Off, frames are
   * drawn on the calling thread: slower, but needs no worker.
   */
  drawThread?: boolean;
}

export { PREVIZ_DESCRIPTION } from "./description.ts";
export { renderContactSheet, type ContactSheet, type ContactSheetOptions } from "./contact-sheet.ts";

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
  const threads = options.drawThread === false ? undefined : createDrawThreadPool();
  threads?.prewarm();
  return {
    name: "previz",
    description: PREVIZ_DESCRIPTION,
    async generate(plan, { signal, log, progress, workDir }) {
      if (signal.aborted) throw new EncodeAbortedError({ cause: signal.reason });
      const { width, height, fps } = plan;
      log(
        `previz: ${PREVIZ_DESCRIPTION}. Drawing ${plan.shots.length} shot(s), ${width}×${height} at ${fps} fps`,
      );
      const storyboard = makeStoryboard(plan);
      // Each shot's reading is logged as the shot starts, so the log follows the render.
      const shotStarts = new Map(storyboard.shots.map((shot) => [shot.startFrame, shot]));
      // ffmpeg starts first so that its start-up overlaps the drawing thread's.
      const encoder = startEncoder({
        ffmpegPath: options.ffmpegPath,
        width,
        height,
        fps,
        outputPath: join(workDir, "output.mp4"),
        signal,
      });
      let thread: DrawThread | undefined;
      try {
        thread = await threads?.acquire().catch((error: unknown) => {
          log(`previz: no drawing thread (${String(error)}); drawing on the main thread`, "WARN");
          return undefined;
        });
        const frames = thread ? thread.frames(storyboard, signal) : drawInline(storyboard, signal);
        let written = 0;
        for await (const frame of frames) {
          const shot = shotStarts.get(written);
          if (shot) log(describeScenePlan(shot.scene, { index: shot.index, count: storyboard.shots.length }));
          await encoder.writeFrame(frame);
          written++;
          progress((DRAWING_SHARE * written) / plan.totalFrames);
        }
        const { path } = await encoder.finish();
        progress(1);
        return { path };
      } catch (error) {
        await encoder.abort();
        throw error;
      } finally {
        if (thread) threads?.release(thread);
      }
    },
  };
}

/** The same frames drawn on this thread, one at a time. */
async function* drawInline(storyboard: Storyboard, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const renderer = createFrameRenderer(storyboard);
  // One buffer for every frame: the encoder is done with it when its write resolves.
  const frame = new Uint8Array(renderer.frameBytes);
  for (let index = 0; index < storyboard.totalFrames; index++) {
    // Checked before each frame so a cancel never waits for a whole shot.
    if (signal.aborted) throw new EncodeAbortedError({ cause: signal.reason });
    renderer.render(index, frame);
    yield frame;
  }
}
