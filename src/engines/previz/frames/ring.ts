import { frameMemory } from "../render/kernels/index.ts";
import type { FrameSize } from "../render/kernels/index.ts";

/**
 * A ring of frame slots in shared memory between the drawing thread and the main thread. The
 * drawing thread fills slot `i % slots` with frame `i`; the main thread hands it to ffmpeg and
 * releases it. Nothing is copied between threads and no frame buffer is allocated per frame,
 * and the ring's size is the bound on memory: the drawer blocks when every slot is full.
 */
export interface FrameRing {
  /** The slots, one after another, then the drawing kernels' scratch (render/kernels/). */
  memory: WebAssembly.Memory;
  /** Int32 counters: frames produced, frames consumed (released), stop flag. */
  control: SharedArrayBuffer;
  slots: number;
  frameBytes: number;
}

const PRODUCED = 0;
const CONSUMED = 1;
const STOP = 2;
/** How long a blocked drawer sleeps before re-checking: a guard, as every change also notifies. */
const WAIT_MS = 250;

export function createRing(frame: FrameSize, slots: number): FrameRing {
  return {
    memory: frameMemory(slots, frame),
    control: new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT),
    slots,
    frameBytes: frame.width * frame.height * 4,
  };
}

/** Frame `index`'s slot: the drawer writes it, the main thread reads it. */
export function slotOf(ring: FrameRing, index: number): Uint8Array {
  return new Uint8Array(ring.memory.buffer, (index % ring.slots) * ring.frameBytes, ring.frameBytes);
}

/** Drawer side: blocks until frame `index` has a free slot; false when told to stop. */
export function waitForSlot(ring: FrameRing, index: number): boolean {
  const control = new Int32Array(ring.control);
  for (;;) {
    if (Atomics.load(control, STOP) !== 0) return false;
    const consumed = Atomics.load(control, CONSUMED);
    if (index - consumed < ring.slots) return true;
    Atomics.wait(control, CONSUMED, consumed, WAIT_MS);
  }
}

/** Drawer side: frame `index` is in its slot. */
export function publish(ring: FrameRing, index: number): void {
  const control = new Int32Array(ring.control);
  Atomics.store(control, PRODUCED, index + 1);
  Atomics.notify(control, PRODUCED);
}

/** Main side: every frame before `count` has been sent on; their slots may be reused. */
export function release(ring: FrameRing, count: number): void {
  const control = new Int32Array(ring.control);
  Atomics.store(control, CONSUMED, count);
  Atomics.notify(control, CONSUMED);
}

/** Main side: asks the drawer to stop after its current frame, waking it if it waits for a slot. */
export function requestStop(ring: FrameRing): void {
  const control = new Int32Array(ring.control);
  Atomics.store(control, STOP, 1);
  Atomics.notify(control, CONSUMED);
}
