import { parentPort } from "node:worker_threads";

import { createFrameRenderer } from "./frame-renderer.ts";
import type { DrawerMessage, RenderRequest } from "./messages.ts";
import { publish, slotOf, waitForSlot } from "./ring.ts";

/**
 * Entry of a drawing thread: draws the frames of one storyboard at a time into the shared ring,
 * blocking while the ring is full. Runs the same code as inline drawing, so pixels match.
 */
const port = parentPort;
if (port === null) throw new Error("draw-worker.ts must run as a worker thread");
const post = (message: DrawerMessage) => port.postMessage(message);

port.on("message", (request: RenderRequest) => {
  const { jobId, storyboard, ring } = request;
  try {
    const renderer = createFrameRenderer(storyboard);
    for (let index = 0; index < storyboard.totalFrames; index++) {
      if (!waitForSlot(ring, index)) break;
      // Drawn straight into the shared slot: the main thread sends it to ffmpeg from there.
      renderer.render(index, slotOf(ring, index));
      publish(ring, index);
      post({ type: "frame", jobId, index });
    }
    post({ type: "done", jobId });
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    post({ type: "error", jobId, message, stack });
  }
});
post({ type: "ready" });
