import { Worker } from "node:worker_threads";

import { EncodeAbortedError } from "../../../media/errors.ts";
import type { Storyboard } from "../storyboard.ts";
import type { DrawerMessage, RenderRequest } from "./messages.ts";
import { createRing, release, requestStop, slotOf } from "./ring.ts";

/**
 * A worker thread that draws frames while the main thread feeds ffmpeg: drawing and encoding
 * overlap, and the main thread's event loop (the HTTP server, heartbeats) never waits on Skia.
 */
export interface DrawThread {
  /**
   * The storyboard's frames in order. Each yielded buffer is a ring slot: valid until the loop
   * asks for the next frame, which hands the slot back to the drawer. Ending the loop early
   * (break, throw, abort) stops the drawer after its current frame.
   */
  frames(storyboard: Storyboard, signal: AbortSignal): AsyncGenerator<Uint8Array>;
  /** False once the thread died; a dead thread is never reused. */
  readonly alive: boolean;
  /** Lets the process exit while this thread waits idle. */
  idle(): void;
  terminate(): Promise<void>;
}

/**
 * Frames in the ring: one being sent to ffmpeg while the next is drawn. Two slots of a 1080p
 * frame are 17 MB, and with the kernels' scratch the bound on memory; a third bought no speed
 * (ffmpeg is the slower side).
 */
const RING_SLOTS = 2;

let jobIds = 0;

/** Starts a drawing thread; resolves once its modules are loaded and it can take work. */
export function startDrawThread(): Promise<DrawThread> {
  const worker = spawnWorker();
  let alive = true;
  let busy = false;
  const died = (error: Error) => {
    alive = false;
    return error;
  };
  return new Promise((resolve, reject) => {
    const onStartError = (error: Error) => reject(died(error));
    const onStartExit = (code: number) => reject(died(new Error(`Drawing thread exited with code ${code}`)));
    worker.once("error", onStartError);
    worker.once("exit", onStartExit);
    worker.once("message", (message: DrawerMessage) => {
      worker.off("error", onStartError);
      worker.off("exit", onStartExit);
      if (message.type !== "ready")
        return reject(died(new Error(`Unexpected first message ${message.type}`)));
      // Later deaths are seen by the job in progress; a dead thread is only marked so.
      worker.on("error", died);
      worker.on("exit", () => died(new Error("exited")));
      resolve({
        get alive() {
          return alive;
        },
        frames(storyboard, signal) {
          if (busy) throw new Error("A drawing thread draws one storyboard at a time");
          busy = true;
          worker.ref();
          return drawFrames(worker, storyboard, signal, () => (busy = false));
        },
        idle() {
          worker.unref();
        },
        async terminate() {
          alive = false;
          await worker.terminate();
        },
      });
    });
  });
}

async function* drawFrames(
  worker: Worker,
  storyboard: Storyboard,
  signal: AbortSignal,
  onEnd: () => void,
): AsyncGenerator<Uint8Array> {
  const jobId = ++jobIds;
  const ring = createRing(storyboard, RING_SLOTS);
  let produced = 0;
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const onMessage = (message: DrawerMessage) => {
    if (!("jobId" in message) || message.jobId !== jobId) return;
    if (message.type === "frame") produced = message.index + 1;
    else if (message.type === "done") ended = true;
    else if (message.type === "error") {
      failure = Object.assign(new Error(`Drawing failed: ${message.message}`), { stack: message.stack });
      ended = true;
    }
    wake?.();
  };
  const onExit = (code: number) => {
    failure ??= new Error(`Drawing thread exited with code ${code}`);
    ended = true;
    wake?.();
  };
  const onError = (error: Error) => {
    failure ??= error;
    ended = true;
    wake?.();
  };
  const onAbort = () => wake?.();
  worker.on("message", onMessage);
  worker.on("exit", onExit);
  worker.on("error", onError);
  signal.addEventListener("abort", onAbort);
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  try {
    const request: RenderRequest = { type: "render", jobId, storyboard, ring };
    worker.postMessage(request);
    for (let index = 0; index < storyboard.totalFrames; index++) {
      while (produced <= index) {
        if (signal.aborted) throw new EncodeAbortedError({ cause: signal.reason });
        if (failure) throw failure;
        if (ended)
          throw new Error(`Drawing thread stopped at frame ${produced} of ${storyboard.totalFrames}`);
        await next();
      }
      yield slotOf(ring, index);
      release(ring, index + 1);
    }
  } finally {
    requestStop(ring);
    // The thread is reusable only once it has left this job.
    while (!ended) await next();
    worker.off("message", onMessage);
    worker.off("exit", onExit);
    worker.off("error", onError);
    signal.removeEventListener("abort", onAbort);
    worker.unref();
    onEnd();
  }
}

/**
 * Node applies `--import tsx` to the main thread only, so under tsx (the project runs its
 * TypeScript directly) the worker first registers tsx's loader and then imports its entry.
 */
function spawnWorker(): Worker {
  const entry = new URL("./draw-worker.ts", import.meta.url);
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry);
  const tsx = import.meta.resolve("tsx/esm/api");
  const source =
    `import(${JSON.stringify(tsx)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(source, { eval: true });
}
