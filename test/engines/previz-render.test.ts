import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";

import type { AspectRatio } from "../../src/contract/input.ts";
import { createFrameRenderer } from "../../src/engines/previz/frames/frame-renderer.ts";
import { cameraAt, easeInOut, layerScale, layerTransform } from "../../src/engines/previz/render/camera.ts";
import type { CameraOptions } from "../../src/engines/previz/render/camera.ts";
import { createKernels, frameMemory } from "../../src/engines/previz/render/kernels/index.ts";
import { compositeOver, inkOf, blendWord, pixelsAt } from "../../src/engines/previz/render/pixels.ts";
import { createRandom, mixSeeds } from "../../src/engines/previz/render/random.ts";
import { SETTINGS, STYLES } from "../../src/engines/previz/scene-plan.ts";
import { makeStoryboard } from "../../src/engines/previz/storyboard.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";

/** Renders frames of a prompt at a small size (the storyboard is plain data: any size works). */
function render(prompt: string, frames: number[], options: { aspect?: AspectRatio; scale?: number } = {}) {
  const plan = makeGenerationPlan({ prompt, duration: "3", aspect_ratio: options.aspect ?? "16:9" });
  const scale = options.scale ?? 1 / 6;
  const storyboard = {
    ...makeStoryboard(plan),
    width: Math.round(plan.width * scale),
    height: Math.round(plan.height * scale),
  };
  const renderer = createFrameRenderer(storyboard);
  return frames.map((index) => {
    const out = new Uint8Array(renderer.frameBytes);
    renderer.render(index, out);
    return out;
  });
}

const hash = (frame: Uint8Array) => createHash("sha256").update(frame).digest("hex");

function lumas(frame: Uint8Array): number[] {
  const values: number[] = [];
  for (let i = 0; i < frame.length; i += 4)
    values.push(0.2126 * (frame[i] ?? 0) + 0.7152 * (frame[i + 1] ?? 0) + 0.0722 * (frame[i + 2] ?? 0));
  return values;
}
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
/** Mean absolute deviation of luma: near 0 for a flat frame. */
const spread = (frame: Uint8Array) => {
  const values = lumas(frame);
  const m = mean(values);
  return mean(values.map((v) => Math.abs(v - m)));
};
/** Largest difference between colour channels of any pixel: 0 for pure grey. */
function maxChroma(frame: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < frame.length; i += 4) {
    const [r = 0, g = 0, b = 0] = [frame[i], frame[i + 1], frame[i + 2]];
    max = Math.max(max, Math.abs(r - g), Math.abs(g - b));
  }
  return max;
}

describe("previz renderer", () => {
  const prompt = "A woman walks through a city at night in the rain, the camera pans left";

  it("draws the same pixels for the same request, in any order", () => {
    const forwards = render(prompt, [0, 30, 71]).map(hash);
    const backwards = render(prompt, [71, 30, 0]).map(hash).reverse();
    assert.deepEqual(forwards, backwards);
  });

  it("draws differently for another prompt and over time", () => {
    const [base] = render(prompt, [36]).map(hash);
    assert.notEqual(render(`${prompt}, at dawn`, [36]).map(hash)[0], base, "prompt changes the picture");
    const [start, end] = render(prompt, [0, 71]).map(hash);
    assert.notEqual(start, end, "the shot moves");
  });

  it("makes night darker than noon", () => {
    const [night] = render("a field at night", [36]);
    const [noon] = render("a field at noon", [36]);
    assert.ok(night && noon);
    assert.ok(mean(lumas(night)) < mean(lumas(noon)) * 0.5);
  });

  it("grades black and white as grey, with contrast, and every other style in colour", () => {
    const [grey] = render("a sunset over the desert, a car drives, black and white", [36]);
    assert.ok(grey);
    assert.ok(maxChroma(grey) <= 1, `max channel difference ${maxChroma(grey)}`);
    assert.ok(spread(grey) > 5, "black and white still has contrast");
    for (const style of STYLES.filter((s) => s !== "noir")) {
      const [colour] = render(
        `a sunset over the desert, a car drives, ${style === "photorealistic" ? "" : style}`,
        [36],
      );
      assert.ok(colour && maxChroma(colour) > 30, `${style} is in colour`);
    }
  });

  it("gives each style its own look", () => {
    const looks = STYLES.map(
      (style) =>
        render(`a lake at noon, ${style === "photorealistic" ? "" : style} style`, [36]).map(hash)[0],
    );
    assert.equal(new Set(looks).size, STYLES.length);
  });

  it("draws every setting in every aspect ratio with visible structure", () => {
    for (const setting of SETTINGS) {
      for (const aspect of ["16:9", "9:16", "1:1"] as const) {
        const [frame] = render(`${setting}, a person walks, rain, smoke`, [36], { aspect, scale: 1 / 10 });
        assert.ok(frame);
        assert.ok(spread(frame) > 3, `${setting} ${aspect} is nearly flat`);
      }
    }
  });

  it("keeps a moving subject in frame through a tracking shot, which a still camera loses", () => {
    // A dark car on white snow: the dark pixels in the middle of the frame are the car.
    const carIn = (frame: Uint8Array | undefined, width: number, height: number) => {
      const values = lumas(frame ?? new Uint8Array());
      let dark = 0;
      for (let y = Math.floor(height * 0.1); y < height * 0.95; y++) {
        for (let x = Math.floor(width * 0.1); x < width * 0.9; x++)
          if ((values[y * width + x] ?? 255) < 100) dark++;
      }
      return dark;
    };
    const scene = (camera: string) => {
      const plan = makeGenerationPlan({
        prompt: `a car drives across a snowfield at noon, ${camera}`,
        duration: "5",
        aspect_ratio: "16:9",
      });
      const storyboard = { ...makeStoryboard(plan), width: 320, height: 180 };
      const renderer = createFrameRenderer(storyboard);
      return [0, 60, 119].map((index) => {
        const out = new Uint8Array(renderer.frameBytes);
        renderer.render(index, out);
        return carIn(out, 320, 180);
      });
    };
    const tracked = scene("tracking shot");
    const still = scene("static camera");
    assert.ok(
      tracked.every((dark) => dark > 100),
      `tracked: ${tracked.join(", ")} dark pixels`,
    );
    assert.ok(
      Math.min(...still) < 20,
      `still camera: ${still.join(", ")} dark pixels — the car should leave the frame`,
    );
  });

  it("draws a flash of lightning in a storm", () => {
    const frames = render(
      "a stormy sea at dusk, lightning",
      Array.from({ length: 72 }, (_, i) => i),
      { scale: 1 / 12 },
    );
    const levels = frames.map((frame) => mean(lumas(frame)));
    assert.ok(Math.max(...levels) > Math.min(...levels) * 1.5, "some frames flash");
  });
});

describe("previz camera", () => {
  const options = (
    move: CameraOptions["camera"]["move"],
    pace: CameraOptions["pace"] = "normal",
  ): CameraOptions => ({
    camera: { move, handheld: false },
    pace,
    seed: 1,
    weave: false,
  });
  const view = { height: 1080, aspect: 16 / 9 };

  it("pushes in and pulls back monotonically, easing at both ends, near layers more than far", () => {
    const dollies = [0, 0.25, 0.5, 0.75, 1].map((t) => cameraAt(options("push-in"), t, t * 3).dolly);
    assert.equal(dollies[0], 0);
    for (let i = 1; i < dollies.length; i++) assert.ok((dollies[i] ?? 0) > (dollies[i - 1] ?? 0));
    assert.equal(cameraAt(options("pull-back"), 1, 3).dolly, 0);
    assert.ok(cameraAt(options("pull-back"), 0, 0).dolly > 0);
    assert.ok(easeInOut(0.05) < 0.05 && easeInOut(0.95) > 0.95, "slow in, slow out");
    const end = cameraAt(options("push-in"), 1, 3);
    assert.ok(layerScale(end, 1) > layerScale(end, 0.1), "parallax: the near layer grows more");
    const zoom = cameraAt(options("zoom-in"), 1, 3);
    assert.equal(layerScale(zoom, 1), layerScale(zoom, 0.1), "a zoom grows every layer alike");
  });

  it("pans and tilts the right way, further when energetic, and stays put when static", () => {
    assert.ok(cameraAt(options("pan-left"), 1, 3).look.x < 0);
    assert.ok(cameraAt(options("pan-right"), 1, 3).look.x > 0);
    assert.ok(cameraAt(options("tilt-up"), 1, 3).look.y < cameraAt(options("tilt-up"), 0, 0).look.y);
    assert.ok(
      cameraAt(options("pan-right", "energetic"), 1, 3).look.x >
        cameraAt(options("pan-right", "slow"), 1, 3).look.x,
    );
    assert.deepEqual(cameraAt(options("static"), 0.7, 2), {
      look: { x: 0, y: 0 },
      travel: 0,
      dolly: 0,
      zoom: 1,
    });
    // Panning left slides the picture right on screen.
    const [, , , , e0] = layerTransform(cameraAt(options("pan-left"), 0, 0), 1, view);
    const [, , , , e1] = layerTransform(cameraAt(options("pan-left"), 1, 3), 1, view);
    assert.ok(e1 > e0);
  });

  it("shakes a handheld camera a little, and differently with another seed", () => {
    const handheld = { ...options("static"), camera: { move: "static" as const, handheld: true } };
    const looks = Array.from({ length: 48 }, (_, i) => cameraAt(handheld, i / 47, i / 24).look.x);
    assert.ok(Math.max(...looks.map(Math.abs)) < 0.02, "a shake, not a pan");
    assert.ok(new Set(looks).size > 40, "it keeps moving");
    assert.notEqual(cameraAt({ ...handheld, seed: 2 }, 0.5, 1).look.x, looks[24]);
  });
});

/** A frame of `width` × `height` in a kernels' memory of its own, holding `bytes`. */
function pixelsHolding(bytes: Uint8Array, width: number, height: number) {
  const size = { width, height };
  const px = pixelsAt(createKernels(frameMemory(1, size), 1, size), 0, width, height);
  px.bytes.set(bytes);
  return px;
}

describe("previz pixels", () => {
  it("blends and composites in whole words without spilling between channels", () => {
    const px = pixelsHolding(new Uint8Array([10, 200, 30, 255, 0, 0, 0, 255]), 2, 1);
    blendWord(px.words, 0, inkOf([250, 0, 130]), 128);
    assert.deepEqual([...px.bytes.subarray(0, 4)], [130, 100, 80, 255]);
    // Opaque source pixels replace, transparent ones keep, half-transparent ones mix.
    const frame = pixelsHolding(
      new Uint8Array([100, 100, 100, 255, 100, 100, 100, 255, 100, 100, 100, 255]),
      3,
      1,
    );
    const overlay = new Uint8Array([0, 0, 0, 255, 50, 50, 50, 0, 200, 0, 0, 128]);
    compositeOver(overlay, { x: 0, y: 0, width: 3, height: 1 }, frame);
    assert.deepEqual([...frame.bytes], [0, 0, 0, 255, 100, 100, 100, 255, 150, 49, 49, 255]);
  });

  it("composites runs of every kind up to each row's ends, at an offset, pixel for pixel", () => {
    // Each row of a 6-wide overlay mixes transparent, opaque and half-transparent pixels in runs
    // that start and stop at the row's ends, placed at (2, 1) in a 9 × 4 frame.
    const pixel = (a: number, v: number) => [v, 255 - v, (v * 7) % 256, a];
    const rows = [
      [0, 0, 255, 255, 128, 255],
      [255, 255, 0, 0, 0, 0],
      [64, 0, 255, 0, 255, 200],
    ];
    const overlay = new Uint8Array(rows.flatMap((row, y) => row.flatMap((a, x) => pixel(a, 40 * x + y))));
    const rect = { x: 2, y: 1, width: 6, height: 3 };
    const frame = pixelsHolding(
      new Uint8Array(9 * 4 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 13) % 256)),
      9,
      4,
    );
    const expected = [...frame.bytes];
    rows.forEach((row, y) =>
      row.forEach((a, x) => {
        const at = ((rect.y + y) * 9 + rect.x + x) * 4;
        const source = pixel(a, 40 * x + y);
        for (let c = 0; c < 3; c++) {
          const mixed = ((source[c] ?? 0) * (a + 1) + (expected[at + c] ?? 0) * (255 - a)) >> 8;
          if (a > 0) expected[at + c] = a === 255 ? (source[c] ?? 0) : mixed;
        }
      }),
    );
    compositeOver(overlay, rect, frame);
    assert.deepEqual([...frame.bytes], expected);
  });
});

describe("previz random", () => {
  it("repeats for a seed and differs between seeds", () => {
    const a = createRandom(5);
    const b = createRandom(5);
    const c = createRandom(6);
    const seqA = [a.next(), a.next(), a.next()];
    assert.deepEqual(seqA, [b.next(), b.next(), b.next()]);
    assert.notDeepEqual(seqA, [c.next(), c.next(), c.next()]);
    assert.ok(seqA.every((x) => x >= 0 && x < 1));
    assert.notEqual(mixSeeds(1, 0), mixSeeds(1, 1));
    assert.notEqual(mixSeeds(1, 2), mixSeeds(2, 1));
  });
});
