import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import type { AspectRatio, VideoInput } from "../../src/contract/input.ts";
import { createPrevizEngine } from "../../src/engines/previz/index.ts";
import type { EngineContext } from "../../src/engines/port.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";
import type { GenerationPlan } from "../../src/jobs/plan.ts";
import { EncodeAbortedError } from "../../src/media/errors.ts";
import { isFastStart } from "../../src/media/mp4-boxes.ts";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { childProcesses, decodeFrames, meanAbsDiff, meanLevel } from "../media/frames.ts";

const { ffmpegPath, ffprobePath } = defaultMediaTools();
const engine = createPrevizEngine({ ffmpegPath });
const PROMPT = "A woman walks down a city street at night in the rain. The camera pushes in slowly.";

describe("previz engine", () => {
  let root: string;
  let runs = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "shotline-previz-"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Runs the engine in a fresh work dir, collecting its logs and progress. */
  async function generate(plan: GenerationPlan, signal = new AbortController().signal) {
    const workDir = await mkdtemp(join(root, `run-${runs++}-`));
    const logs: string[] = [];
    const progress: number[] = [];
    const context: EngineContext = {
      signal,
      workDir,
      log: (message) => logs.push(message),
      progress: (fraction) => progress.push(fraction),
    };
    const output = await engine.generate(plan, context);
    return { ...output, workDir, logs, progress };
  }

  const plan = (input: Omit<VideoInput, "aspect_ratio"> & { aspect_ratio?: AspectRatio }) =>
    makeGenerationPlan({ aspect_ratio: "16:9", ...input } as VideoInput);

  const outputs = new Map<AspectRatio, string>();

  for (const [aspect, width, height] of [
    ["16:9", 1920, 1080],
    ["9:16", 1080, 1920],
    ["1:1", 1440, 1440],
  ] as const) {
    it(`renders ${aspect} at ${width}×${height}, 24 fps, exactly 72 frames for 3 s`, async () => {
      const result = await generate(plan({ prompt: PROMPT, aspect_ratio: aspect, duration: "3" }));
      assert.equal(result.path, join(result.workDir, "output.mp4"));
      outputs.set(aspect, result.path);
      const facts = await probeVideo(ffprobePath, result.path, { countFrames: true });
      assert.equal(facts.codec, "h264");
      assert.equal(facts.profile, "High");
      assert.equal(facts.width, width);
      assert.equal(facts.height, height);
      assert.equal(facts.pixFmt, "yuv420p");
      assert.equal(facts.colorSpace, "bt709");
      assert.equal(facts.fps, 24);
      assert.equal(facts.numFrames, 72);
      assert.ok(Math.abs(facts.duration - 3) < 1e-3, `duration ${facts.duration}`);
      assert.equal(await isFastStart(result.path), true);
      assert.deepEqual(await readdir(result.workDir), ["output.mp4"], "nothing else left in the work dir");
    });
  }

  it("gives byte-identical output for the same plan", async () => {
    const first = outputs.get("16:9") ?? (await generate(plan({ prompt: PROMPT, duration: "3" }))).path;
    const second = await generate(plan({ prompt: PROMPT, duration: "3" }));
    const digest = async (path: string) =>
      createHash("sha256")
        .update(await readFile(path))
        .digest("hex");
    assert.equal(await digest(second.path), await digest(first));
  });

  it("cuts a storyboard hard on each shot's first frame, and logs each shot's scene plan", async () => {
    const storyboard = plan({
      duration: "5",
      multi_prompt: [
        { prompt: "A man walks down a city street at night in the rain", duration: "1" },
        { prompt: "A sunny desert at noon, the camera pans right", duration: "2" },
        {
          prompt: "A misty forest at dawn, a woman walks between the trees, the camera pushes in",
          duration: "1",
        },
      ],
    });
    const result = await generate(storyboard);
    const facts = await probeVideo(ffprobePath, result.path, { countFrames: true });
    assert.equal(facts.numFrames, 96);
    assert.ok(Math.abs(facts.duration - 4) < 1e-3);

    const frames = await decodeFrames(ffmpegPath, result.path, { width: 64, height: 36 });
    assert.equal(frames.length, 96);
    for (let i = 1; i < frames.length; i++) {
      const diff = meanAbsDiff(frames[i - 1] ?? Buffer.alloc(0), frames[i] ?? Buffer.alloc(0));
      if (i === 24 || i === 72) assert.ok(diff > 15, `cut at frame ${i} differs by only ${diff.toFixed(1)}`);
      else assert.ok(diff < 5, `frame ${i} jumps by ${diff.toFixed(1)} inside a shot`);
    }

    assert.match(result.logs[0] ?? "", /not a neural model/);
    const shotLines = result.logs.filter((line) => /^shot \d\/3: /.test(line));
    assert.deepEqual(
      shotLines.map((line) => line.split(";")[0]),
      ["shot 1/3: city, night, rain", "shot 2/3: desert, day", "shot 3/3: forest, dawn, fog"],
    );
    assert.equal(result.progress.at(-1), 1);
    for (let i = 1; i < result.progress.length; i++) {
      assert.ok((result.progress[i] ?? 0) >= (result.progress[i - 1] ?? 0), "progress never goes back");
    }
    assert.ok(result.progress.length >= 96, "progress is reported per frame");
  });

  it("renders a night prompt darker than a noon prompt", async () => {
    const meanLuma = async (prompt: string) => {
      const { path } = await generate(plan({ prompt, duration: "3" }));
      const frames = await decodeFrames(ffmpegPath, path, { width: 64, height: 36 });
      return frames.reduce((sum, frame) => sum + meanLevel(frame), 0) / frames.length;
    };
    const night = await meanLuma("A quiet countryside road at night");
    const noon = await meanLuma("A quiet countryside road at noon");
    assert.ok(night < noon * 0.5, `night ${night.toFixed(1)} vs noon ${noon.toFixed(1)}`);
  });

  it("describes itself as procedural, not a neural model", () => {
    assert.equal(engine.name, "previz");
    assert.match(engine.description, /procedural/i);
    assert.match(engine.description, /not a neural model/);
  });

  it("stops promptly when cancelled mid-render, leaving no ffmpeg and no file", async () => {
    const controller = new AbortController();
    const workDir = await mkdtemp(join(root, "cancel-"));
    let abortedAt = 0;
    const run = engine.generate(plan({ prompt: PROMPT, duration: "10" }), {
      signal: controller.signal,
      workDir,
      log: () => {},
      progress: (fraction) => {
        if (fraction >= 0.1 && abortedAt === 0) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    await assert.rejects(run, EncodeAbortedError);
    const latency = performance.now() - abortedAt;
    assert.ok(abortedAt > 0, "the render was under way");
    assert.ok(latency < 1500, `took ${latency.toFixed(0)} ms to stop`);
    const ffmpegs = (await childProcesses()).filter((child) => /ffmpeg/.test(child.command));
    assert.deepEqual(ffmpegs, [], "no ffmpeg child left running");
    assert.deepEqual(await readdir(workDir), [], "no output or partial file");
  });

  it("refuses to start when already cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const workDir = await mkdtemp(join(root, "precancel-"));
    await assert.rejects(
      engine.generate(plan({ prompt: PROMPT, duration: "3" }), {
        signal: controller.signal,
        workDir,
        log: () => {},
        progress: () => {},
      }),
      EncodeAbortedError,
    );
    assert.deepEqual(await readdir(workDir), []);
  });
});
