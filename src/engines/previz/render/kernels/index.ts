import { readFileSync } from "node:fs";

/**
 * The renderer's hottest pixel loops — blending subjects over the frame, the vignette, soft glows,
 * copying the backdrop in — in WebAssembly SIMD (kernels.wat), four pixels at a time: 2.5–4 times
 * faster than the same formulas in JavaScript, byte for byte the same result. They work in one
 * memory with the frames they draw on: the frame ring the drawing thread shares with the main
 * thread, or a renderer's own. (JavaScript copies into shared memory at a third of memcpy's speed;
 * WebAssembly copies within it at full speed.) After the frames, the memory holds the kernels'
 * scratch: an overlay copied in to be blended, the current vignette's tables, the glow masks and
 * the shot's backdrop.
 */
export interface Kernels {
  readonly memory: WebAssembly.Memory;
  /**
   * Blends `source`, a tightly packed `width` × `height` rectangle of unpremultiplied RGBA, over
   * the frame at byte address `at`, whose rows are `stride` pixels apart.
   */
  composite(source: Uint8Array, width: number, height: number, at: number, stride: number): void;
  /**
   * Applies `vignette`'s tables to rows `from`…`to` − 1 of a `width`-pixel frame at byte address
   * `at`, whose rows are `stride` pixels apart.
   */
  vignette(
    at: number,
    width: number,
    stride: number,
    from: number,
    to: number,
    vignette: VignetteTables,
  ): void;
  /** Copies `rows` rows of `rowBytes` bytes, rows `srcStride` and `dstStride` bytes apart. */
  copyRows: Exports["copyRows"];
  /** Blends `count` pixels from `dst` toward `ink` by the glow mask bytes from `mask` (see glowMask). */
  glowSpan: Exports["glowSpan"];
  /** The address of a glow mask in the memory, copied in from `make()` the first time. */
  glowMask(radius: number, make: () => Uint8Array): number;
  /** Room for a shot's backdrop (one at a time), `bytes` long; the memory grows to make it. */
  backdrop(bytes: number): Uint8Array;
}

/** What the vignette kernel reads (see finish.ts). */
export interface VignetteTables {
  /** Per row: how many pixels from each side the vignette reaches. */
  readonly reach: Uint16Array;
  /** Per pixel of the left half: how much of the pixel is kept (256 = all). */
  readonly keep: Uint16Array;
  /** What the corners go toward, 0x00BBGGRR: black for a darkened edge, paper white for watercolour. */
  readonly ink: number;
}

export interface FrameSize {
  width: number;
  height: number;
}

interface Exports {
  composite(src: number, width: number, height: number, dst: number, stride: number): void;
  vignette(
    frame: number,
    width: number,
    stride: number,
    from: number,
    to: number,
    reach: number,
    keep: number,
    half: number,
    ink: number,
  ): void;
  glowSpan(dst: number, mask: number, count: number, ink: number, alpha: number): void;
  copyRows(
    src: number,
    srcStride: number,
    dst: number,
    dstStride: number,
    rowBytes: number,
    rows: number,
  ): void;
}

/** Compiled once a thread, instantiated for each memory. */
const compiled = new WebAssembly.Module(readFileSync(new URL("./kernels.wasm", import.meta.url)));

const PAGE = 65536;
/** Room for glow masks (a 160-pixel glow's is 100 kB); when full, it starts over. */
const MASK_BYTES = 2 * 1024 * 1024;
/**
 * How far the memory may grow for backdrops. A backdrop is the frame plus the camera's turn, and
 * only the pages written are resident; the rest is address space.
 */
const GROWTH_BYTES = 1024 * 1024 * 1024;

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Where the scratch parts start, after `frames` frames. */
function layout(frames: number, { width, height }: FrameSize) {
  const frameBytes = width * height * 4;
  const scratch = align(frames * frameBytes);
  const reach = align(scratch + frameBytes);
  const keep = align(reach + height * 2);
  const masks = align(keep + Math.ceil(width / 2) * height * 2);
  const backdrop = align(masks + MASK_BYTES);
  return { frameBytes, scratch, reach, keep, masks, backdrop };
}

/**
 * A shared memory for `frames` frames of `size`, then the kernels' scratch. Only the pages written
 * are resident: the scratch costs about what one subject, one vignette, a few glows and the
 * backdrop (a little more than a frame) need.
 */
export function frameMemory(frames: number, size: FrameSize): WebAssembly.Memory {
  const { backdrop, frameBytes } = layout(frames, size);
  const initial = Math.ceil((backdrop + frameBytes) / PAGE);
  return new WebAssembly.Memory({ initial, maximum: initial + GROWTH_BYTES / PAGE, shared: true });
}

/** Kernels over `memory` (made by frameMemory with the same frames and size). */
export function createKernels(memory: WebAssembly.Memory, frames: number, size: FrameSize): Kernels {
  const at = layout(frames, size);
  if (memory.buffer.byteLength < at.backdrop)
    throw new RangeError("The memory is too small for these frames");
  const exports = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as Exports;
  let heap = new Uint8Array(memory.buffer);
  let vignetteIn: VignetteTables | undefined;
  const masks = new Map<number, number>();
  let maskEnd = at.masks;
  return {
    memory,
    composite(source, width, height, dst, stride) {
      heap.set(source, at.scratch);
      exports.composite(at.scratch, width, height, dst, stride);
    },
    vignette(frame, width, stride, from, to, vignette) {
      if (vignetteIn !== vignette) {
        new Uint16Array(memory.buffer, at.reach, vignette.reach.length).set(vignette.reach);
        new Uint16Array(memory.buffer, at.keep, vignette.keep.length).set(vignette.keep);
        vignetteIn = vignette;
      }
      exports.vignette(frame, width, stride, from, to, at.reach, at.keep, Math.ceil(width / 2), vignette.ink);
    },
    glowSpan: exports.glowSpan,
    copyRows: exports.copyRows,
    glowMask(radius, make) {
      let address = masks.get(radius);
      if (address === undefined) {
        const mask = make();
        if (maskEnd + mask.length > at.masks + MASK_BYTES) {
          masks.clear();
          maskEnd = at.masks;
        }
        address = maskEnd;
        heap.set(mask, address);
        maskEnd = align(address + mask.length);
        masks.set(radius, address);
      }
      return address;
    },
    backdrop(bytes) {
      const short = at.backdrop + bytes - memory.buffer.byteLength;
      if (short > 0) {
        memory.grow(Math.ceil(short / PAGE));
        heap = new Uint8Array(memory.buffer);
      }
      return heap.subarray(at.backdrop, at.backdrop + bytes);
    },
  };
}
