import { randomUUID } from "node:crypto";
import { join } from "node:path";

import { conformVideos, joinVideos } from "../../media/conform.ts";
import type { Engine } from "../port.ts";
import { createComfyClient } from "./client.ts";
import { generateShot } from "./shot.ts";
import { createComfySocket } from "./socket.ts";
import type { Workflow } from "./workflow.ts";

export {
  ComfyuiUnavailableError,
  PromptFailedError,
  WorkflowError,
  WorkflowRejectedError,
} from "./errors.ts";
export { loadWorkflow, SHIPPED_WORKFLOWS, type Workflow } from "./workflow.ts";

export interface ComfyuiEngineOptions {
  /** Origin of the ComfyUI server. */
  url: string;
  /** From `loadWorkflow`. */
  workflow: Workflow;
  ffmpegPath: string;
  ffprobePath: string;
  /** Client id of this engine's prompts and websocket; default `shotline-<random>`. */
  clientId?: string;
  /** Poll interval while the websocket is down (default 1 s). */
  pollMs?: number;
  /** Check interval while the websocket is up (default 5 s). */
  checkMs?: number;
  /** How long ComfyUI may stay unreachable during a shot before it fails (default 60 s). */
  unreachableMs?: number;
  /** x264 preset of the conform step (default `veryfast`). */
  conformPreset?: string;
}

/** The engine plus `close()`, which drops its websocket (a server process simply exits). */
export interface ComfyuiEngine extends Engine {
  close(): void;
}

/** Share of the progress bar for the shots on ComfyUI; the rest is conforming. */
const GENERATION_SHARE = 0.9;

/**
 * Drives a ComfyUI server: each shot of the plan is one prompt of the workflow with its
 * placeholders filled (prompt, size, frames, fps, a per-shot seed), watched over the websocket,
 * downloaded with `/view` and conformed to the plan's size, 24 fps and exact frame count while the
 * next shot generates; then the shots are joined with hard cuts. A cancel withdraws only this
 * engine's own prompt.
 * @example
 * const engine = createComfyuiEngine({ url, workflow: loadWorkflow("wan2.2-ti2v-5b"), ffmpegPath, ffprobePath });
 */
export function createComfyuiEngine(options: ComfyuiEngineOptions): ComfyuiEngine {
  const { workflow } = options;
  const clientId = options.clientId ?? `shotline-${randomUUID()}`;
  const client = createComfyClient({ url: options.url });
  const socket = createComfySocket({ url: options.url, clientId });
  const { ffprobePath, pollMs, checkMs, unreachableMs } = options;
  const polling = {
    ...(pollMs !== undefined && { pollMs }),
    ...(checkMs !== undefined && { checkMs }),
    ...(unreachableMs !== undefined && { unreachableMs }),
  };
  const shared = { workflow, ffprobePath, client, socket, clientId, polling };

  return {
    name: "comfyui",
    description: `${workflow.settings.description} on the ComfyUI server at ${client.url}, conformed to the output size`,
    async generate(plan, context) {
      const { log, progress, workDir } = context;
      context.signal.throwIfAborted();
      const count = plan.shots.length;
      log(`comfyui: ${count} shot(s) with workflow ${workflow.source} on ${client.url}`);
      // Each shot is conformed while ComfyUI generates the next; a failed conform stops the rest.
      const stop = new AbortController();
      const signal = AbortSignal.any([context.signal, stop.signal]);
      let failure: unknown;
      const generated: number[] = plan.shots.map(() => 0);
      const conformed: number[] = plan.shots.map(() => 0);
      const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
      const report = () =>
        progress(
          (GENERATION_SHARE * sum(generated)) / count +
            ((1 - GENERATION_SHARE) * sum(conformed)) / plan.totalFrames,
        );
      const outputPath = join(workDir, "output.mp4");
      const conforming: Array<Promise<string | undefined>> = [];
      try {
        for (const shot of plan.shots) {
          const onProgress = (fraction: number) => {
            generated[shot.index] = fraction;
            report();
          };
          const native = await generateShot(shared, shot, plan, { ...context, signal }, onProgress);
          const conform = conformVideos({
            ffmpegPath: options.ffmpegPath,
            inputs: [{ path: native, frames: shot.frames }],
            width: plan.width,
            height: plan.height,
            fps: plan.fps,
            outputPath: count === 1 ? outputPath : join(workDir, `shot-${shot.index + 1}.conformed.mp4`),
            signal,
            ...(options.conformPreset !== undefined && { preset: options.conformPreset }),
            onProgress: (frames) => {
              conformed[shot.index] = frames;
              report();
            },
          });
          conforming.push(
            conform.then(
              (clip) => clip.path,
              (error: unknown) => {
                failure ??= error;
                stop.abort(error);
                return undefined;
              },
            ),
          );
        }
        const clips = await Promise.all(conforming);
        if (failure !== undefined) throw failure;
        if (count > 1) {
          log(
            `comfyui: joining ${count} shots, ${plan.width}×${plan.height} at ${plan.fps} fps, ${plan.totalFrames} frames`,
          );
          await joinVideos({ ffmpegPath: options.ffmpegPath, inputs: clips as string[], outputPath, signal });
        }
      } catch (error) {
        // The first failure is the one to report, not the aborts that stopping the rest causes.
        const cause = failure ?? error;
        stop.abort();
        await Promise.all(conforming);
        throw cause;
      }
      progress(1);
      return { path: outputPath };
    },
    close() {
      socket.close();
    },
  };
}
