import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { after, describe, it } from "node:test";

import { startDrawThread } from "../../src/engines/previz/frames/draw-thread.ts";
import type { DrawThread } from "../../src/engines/previz/frames/draw-thread.ts";
import { createFrameRenderer } from "../../src/engines/previz/frames/frame-renderer.ts";
import {
  createRing,
  publish,
  release,
  requestStop,
  waitForSlot,
} from "../../src/engines/previz/frames/ring.ts";
import { createDrawThreadPool } from "../../src/engines/previz/frames/thread-pool.ts";
import { makeStoryboard } from "../../src/engines/previz/storyboard.ts";
import type { Storyboard } from "../../src/engines/previz/storyboard.ts";
import { EncodeAbortedError } from "../../src/media/errors.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";

/** A two-shot storyboard drawn small, so that a test draws it in a moment. */
function smallStoryboard(): Storyboard {
  const plan = makeGenerationPlan({
    aspect_ratio: "16:9",
    duration: "5",
    multi_prompt: [
      { prompt: "A woman walks in the rain at night, the camera pushes in", duration: "1" },
      { prompt: "A desert at noon, the camera pans left", duration: "1" },
    ],
  });
  return { ...makeStoryboard(plan), width: 192, height: 108 };
}

const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("frame ring", () => {
  it("lets the drawer run ahead by its slots only, and stops it on request", () => {
    const ring = createRing({ width: 2, height: 2 }, 2);
    assert.equal(waitForSlot(ring, 0), true);
    publish(ring, 0);
    assert.equal(waitForSlot(ring, 1), true);
    publish(ring, 1);
    release(ring, 1);
    // Frame 2 reuses frame 0's slot, which is free again.
    assert.equal(waitForSlot(ring, 2), true);
    requestStop(ring);
    assert.equal(waitForSlot(ring, 3), false);
  });
});

describe("drawing thread", () => {
  const threads: DrawThread[] = [];
  after(async () => {
    await Promise.all(threads.map((thread) => thread.terminate()));
  });

  it("draws exactly what the calling thread draws, frame by frame", async () => {
    const storyboard = smallStoryboard();
    const thread = await startDrawThread();
    threads.push(thread);
    const drawn: string[] = [];
    for await (const frame of thread.frames(storyboard, new AbortController().signal))
      drawn.push(digest(frame));
    const renderer = createFrameRenderer(storyboard);
    const direct = Array.from({ length: storyboard.totalFrames }, (_, index) => {
      const out = new Uint8Array(renderer.frameBytes);
      renderer.render(index, out);
      return digest(out);
    });
    assert.equal(drawn.length, 48);
    assert.deepEqual(drawn, direct);
  });

  it("draws at the lowest priority, leaving the calling thread's alone (Linux)", async (t) => {
    if (process.platform !== "linux") return t.skip("thread priorities are read from /proc");
    const niceness = () =>
      readdirSync("/proc/self/task").map((id) => {
        const stat = readFileSync(`/proc/self/task/${id}/stat`, "utf8");
        // Field 19 of stat is the niceness; fields are counted after the command in parentheses.
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
      });
    const before = niceness().filter((nice) => nice === 19).length;
    const thread = await startDrawThread();
    threads.push(thread);
    assert.equal(niceness().filter((nice) => nice === 19).length, before + 1);
    assert.equal(getPriority(), 0);
  });

  it("stops when the reader stops or the signal aborts, and draws the next storyboard", async () => {
    const storyboard = smallStoryboard();
    const thread = await startDrawThread();
    threads.push(thread);
    let seen = 0;
    for await (const _frame of thread.frames(storyboard, new AbortController().signal))
      if (++seen === 5) break;
    const controller = new AbortController();
    await assert.rejects(
      (async () => {
        for await (const _frame of thread.frames(storyboard, controller.signal)) controller.abort();
      })(),
      EncodeAbortedError,
    );
    let again = 0;
    for await (const _frame of thread.frames(storyboard, new AbortController().signal)) again++;
    assert.equal(again, storyboard.totalFrames);
    assert.equal(thread.alive, true);
  });

  it("reports a drawing error to the reader and stays usable", async () => {
    const storyboard = smallStoryboard();
    const broken = { ...storyboard, totalFrames: storyboard.totalFrames + 3 };
    const thread = await startDrawThread();
    threads.push(thread);
    await assert.rejects(
      (async () => {
        for await (const _frame of thread.frames(broken, new AbortController().signal)) {
          // Drain until the drawer fails past the storyboard's end.
        }
      })(),
      /Drawing failed: Frame 48 is outside the storyboard/,
    );
    let count = 0;
    for await (const _frame of thread.frames(storyboard, new AbortController().signal)) count++;
    assert.equal(count, storyboard.totalFrames);
  });

  it("keeps an idle thread in the pool and hands it out again", async () => {
    const pool = createDrawThreadPool();
    pool.prewarm();
    const first = await pool.acquire();
    pool.release(first);
    const second = await pool.acquire();
    assert.equal(second, first, "the warm thread is reused");
    const extra = await pool.acquire();
    assert.notEqual(extra, first, "a busy thread is not shared");
    pool.release(second);
    pool.release(extra);
    await pool.close();
    await extra.terminate();
  });
});
