import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";
import { priceOf } from "../../src/contract/pricing.ts";
import { withAbsoluteFileUrls } from "../../src/jobs/status.ts";

describe("generation plan", () => {
  it("gives each aspect ratio its Pro output size and duration × 24 frames", () => {
    const sizes = (["16:9", "9:16", "1:1"] as const).map((aspect_ratio) => {
      const plan = makeGenerationPlan({ aspect_ratio, duration: "7" });
      return [plan.width, plan.height, plan.totalFrames, plan.fps];
    });
    assert.deepEqual(sizes, [
      [1920, 1080, 168, 24],
      [1080, 1920, 168, 24],
      [1440, 1440, 168, 24],
    ]);
  });

  it("places storyboard shots on exact frame boundaries and ignores the top-level duration", () => {
    const plan = makeGenerationPlan({
      aspect_ratio: "16:9",
      duration: "15",
      multi_prompt: [
        { prompt: "a", duration: "1" },
        { prompt: "b", duration: "4" },
        { prompt: "c", duration: "2" },
      ],
    });
    assert.deepEqual(
      plan.shots.map((s) => [s.index, s.prompt, s.startFrame, s.frames]),
      [
        [0, "a", 0, 24],
        [1, "b", 24, 96],
        [2, "c", 120, 48],
      ],
    );
    assert.equal(plan.totalFrames, 168);
    assert.equal(plan.totalSeconds, 7);
  });

  it("derives the seed from the request: same input, same seed; other input, other seed", () => {
    const a = makeGenerationPlan({ prompt: "x", aspect_ratio: "16:9", duration: "5" });
    const b = makeGenerationPlan({ prompt: "x", aspect_ratio: "16:9", duration: "5" });
    const c = makeGenerationPlan({ prompt: "y", aspect_ratio: "16:9", duration: "5" });
    assert.equal(a.seed, b.seed);
    assert.notEqual(a.seed, c.seed);
  });

  it("prices seconds at the configured rate without float dust", () => {
    assert.equal(priceOf(5, 0.14), 0.7);
    assert.equal(priceOf(15, 0.14), 2.1);
    assert.equal(priceOf(3, 0.14), 0.42);
  });

  it("makes stored file URLs absolute for the caller's origin only", () => {
    const result = {
      video: { url: "/files/abc/output.mp4", other: "/files/not-a-url-key" },
      url: "https://x/y",
    };
    assert.deepEqual(withAbsoluteFileUrls(result, "http://h:1"), {
      video: { url: "http://h:1/files/abc/output.mp4", other: "/files/not-a-url-key" },
      url: "https://x/y",
    });
  });
});
