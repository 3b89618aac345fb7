import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";

import { createCanvas } from "@napi-rs/canvas";

import { cameraAt, easeInOut } from "../../src/engines/previz/camera.ts";
import { interpretPrompt } from "../../src/engines/previz/interpret.ts";
import { createRandom, mixSeeds } from "../../src/engines/previz/random.ts";
import { createShotRenderer } from "../../src/engines/previz/render.ts";
import { SETTINGS } from "../../src/engines/previz/scene-plan.ts";

const WIDTH = 320;
const HEIGHT = 180;

/** Renders frames of a prompt on a small canvas and returns their raw RGBA bytes. */
function render(prompt: string, seed: number, times: number[], size = { width: WIDTH, height: HEIGHT }) {
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext("2d", { alpha: false });
  const shot = createShotRenderer(ctx, interpretPrompt(prompt), { ...size, seed, seconds: 3 });
  return times.map((t) => {
    shot.drawFrame(t, t * 3);
    return canvas.data();
  });
}

const hash = (frame: Uint8Array) => createHash("sha256").update(frame).digest("hex");

function lumas(frame: Uint8Array): number[] {
  const values: number[] = [];
  for (let i = 0; i < frame.length; i += 4) {
    values.push(0.2126 * (frame[i] ?? 0) + 0.7152 * (frame[i + 1] ?? 0) + 0.0722 * (frame[i + 2] ?? 0));
  }
  return values;
}

/** Mean BT.709 luma of an RGBA frame. */
function meanLuma(frame: Uint8Array): number {
  const values = lumas(frame);
  return values.reduce((sum, y) => sum + y, 0) / values.length;
}

/** Mean absolute deviation of luma: near 0 for a flat frame. */
function spread(frame: Uint8Array): number {
  const values = lumas(frame);
  const mean = values.reduce((sum, y) => sum + y, 0) / values.length;
  return values.reduce((sum, y) => sum + Math.abs(y - mean), 0) / values.length;
}

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

  it("draws the same pixels for the same scene and seed", () => {
    const first = render(prompt, 42, [0, 0.5, 1]).map(hash);
    const second = render(prompt, 42, [0, 0.5, 1]).map(hash);
    assert.deepEqual(first, second);
  });

  it("draws differently with another seed, another prompt, and over time", () => {
    const [base] = render(prompt, 42, [0.5]).map(hash);
    assert.notEqual(render(prompt, 43, [0.5]).map(hash)[0], base, "seed changes the layout");
    assert.notEqual(render("a desert at noon", 42, [0.5]).map(hash)[0], base, "prompt changes the picture");
    const [start, end] = render(prompt, 42, [0, 1]).map(hash);
    assert.notEqual(start, end, "the shot moves");
  });

  it("makes night darker than noon", () => {
    const [night] = render("a field at night", 7, [0.5]);
    const [noon] = render("a field at noon", 7, [0.5]);
    assert.ok(night && noon);
    assert.ok(meanLuma(night) < meanLuma(noon) * 0.5, `night ${meanLuma(night)} vs noon ${meanLuma(noon)}`);
  });

  it("grades black and white as grey", () => {
    const [grey] = render("a sunset over the desert, black and white", 3, [0.5]);
    const [colour] = render("a sunset over the desert", 3, [0.5]);
    assert.ok(grey && colour);
    assert.ok(maxChroma(grey) <= 2, `max channel difference ${maxChroma(grey)}`);
    assert.ok(maxChroma(colour) > 40, "the same shot in colour is colourful");
    assert.ok(spread(grey) > 5, "black and white still has contrast");
  });

  it("draws every setting in every aspect ratio with visible structure", () => {
    for (const setting of SETTINGS) {
      for (const size of [
        { width: 192, height: 108 },
        { width: 108, height: 192 },
        { width: 144, height: 144 },
      ]) {
        const prompt =
          setting === "countryside" ? "rolling hills" : `a person in the ${setting}, rain, smoke`;
        const [frame] = render(prompt, 11, [0.5], size);
        assert.ok(frame);
        assert.ok(spread(frame) > 3, `${setting} ${size.width}×${size.height} is nearly flat`);
      }
    }
  });
});

describe("previz camera", () => {
  it("pushes in and pulls back monotonically, easing at both ends", () => {
    const zooms = [0, 0.25, 0.5, 0.75, 1].map((t) => cameraAt({ move: "push-in", pace: "normal" }, t).zoom);
    assert.equal(zooms[0], 1);
    for (let i = 1; i < zooms.length; i++) assert.ok((zooms[i] ?? 0) > (zooms[i - 1] ?? 0));
    assert.equal(cameraAt({ move: "pull-back", pace: "normal" }, 1).zoom, 1);
    assert.ok(cameraAt({ move: "pull-back", pace: "normal" }, 0).zoom > 1);
    assert.ok(easeInOut(0.05) < 0.05 && easeInOut(0.95) > 0.95, "slow in, slow out");
  });

  it("pans the right way, further when fast", () => {
    assert.ok(cameraAt({ move: "pan-left", pace: "normal" }, 1).pan < 0);
    assert.ok(cameraAt({ move: "pan-right", pace: "normal" }, 1).pan > 0);
    const slow = cameraAt({ move: "pan-right", pace: "slow" }, 1).pan;
    const fast = cameraAt({ move: "pan-right", pace: "fast" }, 1).pan;
    assert.ok(fast > slow);
    assert.deepEqual(cameraAt({ move: "static", pace: "fast" }, 0.7), { zoom: 1, pan: 0 });
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
