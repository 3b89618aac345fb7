import { startDrawThread } from "./draw-thread.ts";
import type { DrawThread } from "./draw-thread.ts";

/**
 * Drawing threads kept between jobs: starting one loads the renderer's modules (200–400 ms under
 * tsx), which would otherwise be paid by every request. Idle threads never keep the process alive.
 */
export interface DrawThreadPool {
  /** An idle thread, or a new one; rejects if a thread cannot be started at all. */
  acquire(): Promise<DrawThread>;
  /** Gives a thread back after its job; a dead one is dropped. */
  release(thread: DrawThread): void;
  /** Starts a thread now, so that the first job does not wait for one. Never rejects. */
  prewarm(): void;
  close(): Promise<void>;
}

export function createDrawThreadPool(options: { maxIdle?: number } = {}): DrawThreadPool {
  const maxIdle = options.maxIdle ?? 1;
  const idle: DrawThread[] = [];
  let starting: Promise<DrawThread> | undefined;
  const park = (thread: DrawThread) => {
    if (!thread.alive) return;
    if (idle.length < maxIdle) {
      thread.idle();
      idle.push(thread);
    } else void thread.terminate();
  };
  return {
    async acquire() {
      // A prewarm in flight will park its thread first (its handler was attached earlier):
      // waiting for it beats starting a second thread on a machine with two cores.
      if (starting) await starting.catch(() => undefined);
      for (let thread = idle.pop(); thread; thread = idle.pop()) if (thread.alive) return thread;
      return startDrawThread();
    },
    release: park,
    prewarm() {
      if (starting || idle.length > 0) return;
      starting = startDrawThread();
      starting.then(park, () => undefined).finally(() => (starting = undefined));
    },
    async close() {
      const threads = idle.splice(0);
      await Promise.all(threads.map((thread) => thread.terminate()));
    },
  };
}
