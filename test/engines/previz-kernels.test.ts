import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { createKernels, frameMemory } from "../../src/engines/previz/render/kernels/index.ts";
import { createRandom } from "../../src/engines/previz/render/random.ts";
import { assembleKernels, KERNELS_WASM } from "../../scripts/assemble-kernels.ts";

/**
 * The WebAssembly kernels against the per-pixel formulas they stand for, on random pixels, at
 * widths that leave every remainder after the four-pixel steps.
 */

const random = createRandom(20261126);
const byte = () => Math.floor(random.next() * 256);

/** A memory of its own with one `width` × `height` frame of random opaque pixels at address 0. */
function frameOf(width: number, height: number) {
  const size = { width, height };
  const kernels = createKernels(frameMemory(1, size), 1, size);
  const bytes = new Uint8Array(kernels.memory.buffer, 0, width * height * 4);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i % 4 === 3 ? 255 : byte();
  return { kernels, bytes };
}

/** (a * wa + b * (256 - wa)) >> 8, the blend every kernel makes per channel. */
const mix = (a: number, b: number, wa: number) => (a * wa + b * (256 - wa)) >> 8;

describe("previz kernels", () => {
  it("are kernels.wat assembled (npm run kernels after editing the .wat)", async () => {
    assert.deepEqual(Buffer.from(await assembleKernels()), readFileSync(KERNELS_WASM));
  });

  it("blend an overlay as its alpha says: keep, replace or mix, pixel by pixel", () => {
    for (const width of [4, 13, 14, 15, 32]) {
      const { kernels, bytes } = frameOf(40, 9);
      const rect = { x: 3, y: 2, width, height: 6 };
      // Rows of runs: all transparent, all opaque, and random alphas with zeros and 255s among them.
      const alphaAt = (x: number, y: number) =>
        y === 0 ? 0 : y === 1 ? 255 : ([0, 255, 1, 254, byte()][Math.floor(random.next() * 5)] ?? 0);
      const overlay = new Uint8Array(width * rect.height * 4);
      for (let y = 0; y < rect.height; y++)
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          overlay.set([byte(), byte(), byte(), alphaAt(x, y)], i);
        }
      const expected = [...bytes];
      for (let y = 0; y < rect.height; y++)
        for (let x = 0; x < width; x++) {
          const s = (y * width + x) * 4;
          const d = ((rect.y + y) * 40 + rect.x + x) * 4;
          const a = overlay[s + 3] ?? 0;
          if (a === 0) continue;
          for (let c = 0; c < 3; c++)
            expected[d + c] =
              a === 255 ? (overlay[s + c] ?? 0) : mix(overlay[s + c] ?? 0, expected[d + c] ?? 0, a + 1);
          expected[d + 3] = 255;
        }
      kernels.composite(overlay, width, rect.height, (rect.y * 40 + rect.x) * 4, 40);
      assert.deepEqual([...bytes], expected, `overlay ${width} wide`);
    }
  });

  it("darken or whiten both sides of each row by the vignette's table, only in the rows asked", () => {
    for (const [width, ink] of [
      [21, 0],
      [24, 0x00c8e6f0],
      [30, 0x00102030],
    ] as const) {
      const stride = width + 5;
      const height = 7;
      const { kernels, bytes } = frameOf(stride, height);
      const half = Math.ceil(width / 2);
      // The two sides never meet: the middle of a real vignette is untouched.
      const reach = Uint16Array.from({ length: height }, () => Math.floor(random.next() * (half - 3)));
      const keep = Uint16Array.from({ length: half * height }, () => Math.floor(random.next() * 257));
      const [from, to] = [1, 6];
      const expected = [...bytes];
      const inkChannel = (c: number) => (ink >> (8 * c)) & 255;
      for (let y = from; y < to; y++)
        for (let x = 0; x < (reach[y] ?? 0); x++) {
          const k = keep[y * half + x] ?? 256;
          for (const column of [x, width - 1 - x]) {
            const p = (y * stride + column) * 4;
            for (let c = 0; c < 3; c++) expected[p + c] = mix(expected[p + c] ?? 0, inkChannel(c), k);
            expected[p + 3] = 255;
          }
        }
      kernels.vignette(0, width, stride, from, to, { reach, keep, ink });
      assert.deepEqual([...bytes], expected, `${width} wide, ink ${ink.toString(16)}`);
    }
  });

  it("blend a glow's row by its mask, leaving pixels of mask 2 or less whole", () => {
    const { kernels, bytes } = frameOf(16, 1);
    for (let i = 3; i < bytes.length; i += 4) bytes[i] = byte();
    const maskAt = 16 * 4 + 64;
    const mask = new Uint8Array(kernels.memory.buffer, maskAt, 16);
    mask.set(Array.from({ length: 16 }, (_, i) => (i % 4 === 0 ? i % 3 : byte())));
    const ink = 0x00405060;
    for (const [from, count, alpha] of [
      [0, 16, 256],
      [1, 9, 70],
      [5, 3, 140],
    ] as const) {
      const expected = [...bytes];
      for (let x = from; x < from + count; x++) {
        const m = mask[x] ?? 0;
        if (m <= 2) continue;
        const a = (m * alpha) >> 8;
        for (let c = 0; c < 3; c++)
          expected[x * 4 + c] = mix((ink >> (8 * c)) & 255, expected[x * 4 + c] ?? 0, a);
        expected[x * 4 + 3] = 255;
      }
      kernels.glowSpan(from * 4, maskAt + from, count, ink, alpha);
      assert.deepEqual([...bytes], expected, `${count} from ${from}`);
    }
  });

  it("copy rows between strides", () => {
    const { kernels, bytes } = frameOf(20, 6);
    const before = [...bytes];
    // Three rows of 7 pixels from (2, 0) of a 9-wide image laid in rows 3… of the 20-wide frame.
    kernels.copyRows(8, 36, (3 * 20 + 10) * 4, 80, 28, 3);
    const expected = [...before];
    for (let y = 0; y < 3; y++)
      for (let i = 0; i < 28; i++) expected[((3 + y) * 20 + 10) * 4 + i] = before[8 + y * 36 + i] ?? 0;
    assert.deepEqual([...bytes], expected);
  });
});
