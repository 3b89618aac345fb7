import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort } from "node:worker_threads";

import { createFrameRenderer } from "./frame-renderer.ts";
import type { DrawerMessage, RenderRequest } from "./messages.ts";
import { publish, waitForSlot } from "./ring.ts";

/**
 * Entry of a drawing thread: draws the frames of one storyboard at a time into the shared ring,
 * blocking while the ring is full. Runs the same code as inline drawing, so pixels match.
 */
const port = parentPort;
if (port === null) throw new Error("draw-worker.ts must run as a worker thread");
const post = (message: DrawerMessage) => port.postMessage(message);

/**
 * A young-generation collection (about 0.3 ms). Read-back buffers live outside V8's heap and
 * napi-rs does not report their size, so V8 sees no reason to collect their small wrappers:
 * without this, a 15 s clip keeps some 300 MB of dead frames around. `--expose-gc` only adds
 * `gc` to contexts created afterwards, here a private one.
 */
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (options: { type: "minor" | "major" }) => void;
const collectYoungGarbage = () => gc({ type: "minor" });

/**
 * Lets this thread's event loop turn. Skia's read-backs hand out buffers that are freed by
 * finalizers Node runs on the event loop: a loop that never yields keeps every frame's buffer
 * (8 MB at 1080p) until the job ends — over a gigabyte for a 15 s clip.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * This thread draws at the lowest priority (nice 19): when both want a core, ffmpeg's threads
 * get it, and the drawing fills the time they leave. ffmpeg only waits for a frame when the ring
 * is empty, and then this thread has the cores to itself; at equal priority the two took turns,
 * and the encode, the slower side, was slowed by the drawing (a fifth longer on two cores, against
 * a twentieth). Linux applies a priority to one thread when given its id; elsewhere this is
 * skipped and drawing runs at normal priority.
 */
const DRAWING_NICENESS = 19;
try {
  const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(threadId)) setPriority(threadId, DRAWING_NICENESS);
} catch {
  // No /proc (not Linux) or not allowed: normal priority.
}

port.on("message", (request: RenderRequest) => void draw(request));

async function draw(request: RenderRequest): Promise<void> {
  const { jobId, storyboard, ring } = request;
  try {
    const renderer = createFrameRenderer(storyboard, ring);
    for (let index = 0; index < storyboard.totalFrames; index++) {
      if (!waitForSlot(ring, index)) break;
      // Drawn straight into the shared slot: the main thread sends it to ffmpeg from there.
      renderer.render(index);
      publish(ring, index);
      post({ type: "frame", jobId, index });
      await turn();
      if (index % 2 === 1) collectYoungGarbage();
    }
    post({ type: "done", jobId });
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    post({ type: "error", jobId, message, stack });
  }
}

post({ type: "ready" });
