import { randomUUID } from "node:crypto";
import { extname, join } from "node:path";

import type { GenerationPlan, PlannedShot } from "../../jobs/plan.ts";
import { probeVideo } from "../../media/probe.ts";
import type { EngineContext } from "../port.ts";
import type { ComfyClient } from "./client.ts";
import { PromptCancelledError } from "./errors.ts";
import { pickVideoOutput } from "./outputs.ts";
import type { ComfySocket } from "./socket.ts";
import { waitForPrompt, type WaitOptions } from "./wait.ts";
import { fillGraph, nativeShot, shotSeed, type Workflow } from "./workflow.ts";

/** What every shot of one engine shares. */
export interface ShotRunner {
  workflow: Workflow;
  ffprobePath: string;
  client: ComfyClient;
  socket: ComfySocket;
  clientId: string;
  /** Polling settings of `waitForPrompt`. */
  polling: Pick<WaitOptions, "pollMs" | "checkMs" | "unreachableMs">;
}

/** One shot: fill the graph, submit, wait, download. Returns the native clip's path. */
export async function generateShot(
  { workflow, ffprobePath, client, socket, clientId, polling }: ShotRunner,
  shot: PlannedShot,
  plan: GenerationPlan,
  { signal, log, workDir }: EngineContext,
  onProgress: (fraction: number) => void,
): Promise<string> {
  const { settings } = workflow;
  const label = `shot ${shot.index + 1}/${plan.shots.length}`;
  const native = nativeShot(settings, plan.aspectRatio, shot.seconds, plan.fps);
  const seed = shotSeed(plan.seed, shot.index);
  log(
    `comfyui: ${label}: ${native.width}×${native.height}, ${native.frames} frames at ${native.fps} fps, seed ${seed}`,
  );
  if (native.heldFrames > 0) {
    log(
      `comfyui: ${label}: the workflow makes at most ${settings.max_frames} frames; ` +
        `its last ${native.heldFrames} output frames hold still`,
      "WARN",
    );
  }
  const graph = fillGraph(workflow.graph, {
    prompt: shot.prompt,
    negative_prompt: settings.negative_prompt,
    width: native.width,
    height: native.height,
    frames: native.frames,
    fps: native.fps,
    seed,
  });

  // ComfyUI sends a prompt's events only to a client whose socket is open; without one, we poll.
  if (!(await socket.open())) log(`comfyui: ${label}: no websocket; polling for progress`, "WARN");
  signal.throwIfAborted();
  const { promptId } = await client.submit(graph, { clientId, promptId: randomUUID() });
  log(`comfyui: ${label}: queued as prompt ${promptId}`);
  let entry;
  try {
    entry = await waitForPrompt({
      client,
      socket,
      promptId,
      signal,
      onProgress,
      onRunning: () => log(`comfyui: ${label}: running`),
      ...polling,
    });
  } catch (error) {
    if (!signal.aborted) throw error;
    const outcome = await client
      .cancel(promptId)
      .catch((cause: unknown) => `not withdrawn (${String(cause)})`);
    log(`comfyui: ${label}: cancelled; prompt ${promptId} ${outcome}`);
    throw new PromptCancelledError(promptId, { cause: signal.reason });
  }

  const file = pickVideoOutput(entry, promptId);
  const path = join(workDir, `shot-${shot.index + 1}${extname(file.filename).toLowerCase()}`);
  await client.download(file, path, signal);
  const facts = await probeVideo(ffprobePath, path, { signal });
  const frames = Number.isFinite(facts.numFrames) ? `${facts.numFrames} frames` : "frames uncounted";
  log(
    `comfyui: ${label}: got ${file.filename}, ${facts.width}×${facts.height}, ${frames} at ${+facts.fps.toFixed(3)} fps`,
  );
  onProgress(1);
  return path;
}
