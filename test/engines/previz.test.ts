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
import {
  changedCells,
  changedShare,
  childProcesses,
  darkArea,
  decodeFrames,
  horizontalShift,
  meanAbsDiff,
  meanLevel,
} from "../media/frames.ts";

const { ffmpegPath, ffprobePath } = defaultMediaTools();
const engine = createPrevizEngine({ ffmpegPath });
const PROMPT =
  "A woman walks down a neon-lit street at night in the rain. The camera pushes in slowly. Black and white.";
/** Decoded frames are analysed at this size: small enough to be quick, big enough for raindrops. */
const SMALL = { width: 384, height: 216 };

describe("previz engine", () => {
  let root: string;
  let runs = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "shotline-previz-"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Runs an engine in a fresh work dir, collecting its logs and progress. */
  async function generate(
    plan: GenerationPlan,
    options: { signal?: AbortSignal; using?: typeof engine } = {},
  ) {
    const workDir = await mkdtemp(join(root, `run-${runs++}-`));
    const logs: string[] = [];
    const progress: number[] = [];
    const context: EngineContext = {
      signal: options.signal ?? new AbortController().signal,
      workDir,
      log: (message) => logs.push(message),
      progress: (fraction) => progress.push(fraction),
    };
    const output = await (options.using ?? engine).generate(plan, context);
    return { ...output, workDir, logs, progress };
  }

  const plan = (
    input: Omit<VideoInput, "aspect_ratio" | "duration"> & {
      aspect_ratio?: AspectRatio;
      duration?: VideoInput["duration"];
    },
  ) => makeGenerationPlan({ aspect_ratio: "16:9", duration: "3", ...input } as VideoInput);

  /** Renders a prompt and decodes it small, grey. */
  async function greyFrames(prompt: string) {
    const { path } = await generate(plan({ prompt }));
    return decodeFrames(ffmpegPath, path, SMALL);
  }

  const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  const outputs = new Map<AspectRatio, string>();

  for (const [aspect, width, height] of [
    ["16:9", 1920, 1080],
    ["9:16", 1080, 1920],
    ["1:1", 1440, 1440],
  ] as const) {
    it(`renders ${aspect} at ${width}×${height}, 24 fps, exactly 72 frames for 3 s`, async () => {
      const result = await generate(plan({ prompt: PROMPT, aspect_ratio: aspect }));
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

  it("gives identical frames (and bytes) for the same request, different ones for another prompt", async () => {
    const first = outputs.get("16:9") ?? (await generate(plan({ prompt: PROMPT }))).path;
    const second = await generate(plan({ prompt: PROMPT }));
    const hashes = async (path: string) => (await decodeFrames(ffmpegPath, path, SMALL)).map(digest);
    assert.deepEqual(await hashes(second.path), await hashes(first));
    assert.equal(digest(await readFile(second.path)), digest(await readFile(first)));
    const other = await generate(plan({ prompt: PROMPT.replace("woman", "man") }));
    const [a, b] = [await hashes(first), await hashes(other.path)];
    assert.ok(
      a.every((hash, i) => hash !== b[i]),
      "another prompt changes every frame",
    );
  });

  it("draws the same frames in its drawing thread as on the calling thread", async () => {
    const inline = createPrevizEngine({ ffmpegPath, drawThread: false });
    const storyboard = plan({
      multi_prompt: [
        { prompt: "A dog runs on a beach at sunset, tracking shot", duration: "1" },
        { prompt: "A snowy forest, the camera pans left", duration: "1" },
      ],
    });
    const threaded = await generate(storyboard);
    const direct = await generate(storyboard, { using: inline });
    assert.equal(digest(await readFile(threaded.path)), digest(await readFile(direct.path)));
  });

  it("grades black and white with no chroma at all, and colour with plenty", async () => {
    const path = outputs.get("16:9") ?? (await generate(plan({ prompt: PROMPT }))).path;
    const chroma = async (file: string) => {
      const frames = await decodeFrames(ffmpegPath, file, { ...SMALL, format: "yuv420p" });
      let max = 0;
      for (const frame of frames) {
        // The U and V planes follow the luma plane; 128 is no colour.
        for (let i = SMALL.width * SMALL.height; i < frame.length; i++)
          max = Math.max(max, Math.abs((frame[i] ?? 128) - 128));
      }
      return max;
    };
    assert.ok((await chroma(path)) <= 3, "black and white has no chroma");
    const colour = await generate(plan({ prompt: PROMPT.replace(" Black and white.", "") }));
    assert.ok((await chroma(colour.path)) > 40, "the same shot in colour is colourful");
  });

  it("renders a night prompt darker than a noon prompt", async () => {
    const mean = (frames: Buffer[]) =>
      frames.reduce((sum, frame) => sum + meanLevel(frame), 0) / frames.length;
    const night = mean(await greyFrames("A quiet countryside road at night"));
    const noon = mean(await greyFrames("A quiet countryside road at noon"));
    assert.ok(night < noon * 0.5, `night ${night.toFixed(1)} vs noon ${noon.toFixed(1)}`);
  });

  it("grows the subject through a push-in and shrinks it through a pull-back", async () => {
    // A dark figure on white snow: its area is the count of dark pixels in the middle.
    const area = (frame: Buffer | undefined) =>
      darkArea(frame ?? Buffer.alloc(0), SMALL.width, SMALL.height, 100);
    const push = await greyFrames("A man stands in a snowfield at noon. The camera pushes in.");
    const pull = await greyFrames("A man stands in a snowfield at noon. The camera pulls back.");
    const [pushStart, pushEnd] = [area(push[0]), area(push.at(-1))];
    const [pullStart, pullEnd] = [area(pull[0]), area(pull.at(-1))];
    assert.ok(pushStart > 100, "the figure is visible");
    assert.ok(pushEnd > pushStart * 1.25, `push-in: ${pushStart} → ${pushEnd} dark pixels`);
    assert.ok(pullEnd < pullStart / 1.25, `pull-back: ${pullStart} → ${pullEnd} dark pixels`);
  });

  it("moves the picture right when the camera pans left, and left when it pans right", async () => {
    const shift = async (prompt: string) => {
      const frames = await greyFrames(prompt);
      return horizontalShift(
        frames[24] ?? Buffer.alloc(0),
        frames[48] ?? Buffer.alloc(0),
        SMALL.width,
        SMALL.height,
        60,
      );
    };
    const left = await shift("A city street at noon, the camera pans left");
    const right = await shift("A city street at noon, the camera pans right");
    assert.ok(left > 5, `pan left moved content by ${left} px`);
    assert.ok(right < -5, `pan right moved content by ${right} px`);
  });

  it("adds small moving particles for rain and snow, and none without", async () => {
    const motion = async (prompt: string) => {
      const frames = await greyFrames(prompt);
      const [a, b] = [frames[30] ?? Buffer.alloc(0), frames[31] ?? Buffer.alloc(0)];
      return { share: changedShare(a, b, 12), cells: changedCells(a, b, SMALL.width, SMALL.height, 12) };
    };
    const dry = await motion("An empty city street at noon, static camera");
    const rain = await motion("An empty city street at noon in the rain, static camera");
    const snow = await motion("An empty city street at noon, snow falling, static camera");
    assert.ok(dry.share < 0.0005, `without weather ${(dry.share * 100).toFixed(3)} % of pixels change`);
    for (const [name, weather] of [
      ["rain", rain],
      ["snow", snow],
    ] as const) {
      assert.ok(
        weather.share > 0.002,
        `${name}: only ${(weather.share * 100).toFixed(3)} % of pixels change`,
      );
      assert.ok(
        weather.share < 0.15,
        `${name}: ${(weather.share * 100).toFixed(1)} % change — not small particles`,
      );
      assert.ok(
        weather.cells >= 24,
        `${name}: changes in ${weather.cells} of 48 cells — not spread across the frame`,
      );
    }
  });

  it("cuts a storyboard exactly on each shot's first frame, and logs each shot's scene plan", async () => {
    const storyboard = plan({
      multi_prompt: [
        { prompt: "A city street at night, the camera is static", duration: "1" },
        { prompt: "A sunny desert at noon, the camera pans right slowly", duration: "2" },
        { prompt: "A misty forest at dawn, a woman walks between the trees", duration: "1" },
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
      ["shot 1/3: city street, night", "shot 2/3: desert, noon", "shot 3/3: forest, dawn, fog"],
    );
    assert.equal(result.progress.at(-1), 1);
    for (let i = 1; i < result.progress.length; i++) {
      assert.ok((result.progress[i] ?? 0) >= (result.progress[i - 1] ?? 0), "progress never goes back");
    }
    assert.ok(result.progress.length >= 96, "progress is reported per frame");
  });

  it("describes itself as procedural, not a neural model", () => {
    assert.equal(engine.name, "previz");
    assert.match(engine.description, /procedural/i);
    assert.match(engine.description, /not a neural model/);
  });

  it("stops promptly when cancelled mid-render, leaving no ffmpeg and no file, and keeps working", async () => {
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
    // The drawing thread was told to stop, not left drawing: the next request renders normally.
    const next = await generate(plan({ prompt: "A field at noon", duration: "3" }));
    assert.equal((await probeVideo(ffprobePath, next.path)).numFrames, 72);
  });

  it("refuses to start when already cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const workDir = await mkdtemp(join(root, "precancel-"));
    await assert.rejects(
      engine.generate(plan({ prompt: PROMPT }), {
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

describe("previz drawing thread start-up", () => {
  const messagePorts = () => process.getActiveResourcesInfo().filter((name) => name === "MessagePort").length;

  it("starts no drawing thread until the engine is warmed up (an API-only process pays nothing)", async () => {
    const idle = messagePorts();
    const engine = createPrevizEngine({ ffmpegPath, audio: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(messagePorts(), idle, "no thread's port is open after construction");
    engine.warmUp?.();
    const deadline = Date.now() + 30_000;
    while (messagePorts() === idle && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(messagePorts() > idle, "warmUp starts the drawing thread");
  });
});
