import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import type { AspectRatio, VideoInput } from "../../src/contract/input.ts";
import { createComfyuiEngine, type ComfyuiEngine } from "../../src/engines/comfyui/index.ts";
import {
  PromptCancelledError,
  PromptFailedError,
  WorkflowRejectedError,
} from "../../src/engines/comfyui/errors.ts";
import { fillGraph, loadWorkflow, shotSeed, type Workflow } from "../../src/engines/comfyui/workflow.ts";
import { UnrecoverableError } from "../../src/engines/port.ts";
import { makeGenerationPlan, type GenerationPlan } from "../../src/jobs/plan.ts";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { decodeFrames, meanAbsDiff } from "../media/frames.ts";
import { startComfyPeer, type ComfyPeer, type PeerPrompt } from "../support/comfyui-peer.ts";

const { ffmpegPath, ffprobePath } = defaultMediaTools();

const plan = (
  input: Omit<VideoInput, "aspect_ratio" | "duration"> & {
    aspect_ratio?: AspectRatio;
    duration?: VideoInput["duration"];
  },
) => makeGenerationPlan({ aspect_ratio: "16:9", duration: "3", ...input } as VideoInput);
const oneSecond = (prompt = "a lighthouse at dusk") => plan({ multi_prompt: [{ prompt, duration: "1" }] });

describe("comfyui engine against a local ComfyUI peer", () => {
  let root: string;
  let peer: ComfyPeer;
  const engines: ComfyuiEngine[] = [];
  /** The Wan template with small native sizes: the same graph, quicker to "generate". */
  let small: Workflow;
  let smallFile: string;
  /** The Wan graph saving through VideoHelperSuite's combine node, which lists its file under `gifs`. */
  let vhs: Workflow;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "shotline-comfyui-"));
    const wan = JSON.parse(JSON.stringify(loadWorkflow("wan2.2-ti2v-5b")));
    smallFile = join(root, "small.json");
    const sizes = { "16:9": [320, 176], "9:16": [176, 320], "1:1": [240, 240] };
    await writeFile(smallFile, JSON.stringify({ shotline: { ...wan.settings, sizes }, prompt: wan.graph }));
    small = loadWorkflow(smallFile);
    const vhsGraph = { ...wan.graph };
    delete vhsGraph["57"];
    delete vhsGraph["58"];
    vhsGraph["60"] = {
      class_type: "VHS_VideoCombine",
      inputs: {
        images: ["8", 0],
        frame_rate: "{{fps}}",
        loop_count: 0,
        filename_prefix: "shotline/vhs",
        format: "video/h264-mp4",
        pix_fmt: "yuv420p",
        crf: 19,
        save_metadata: true,
        pingpong: false,
        save_output: true,
      },
    };
    const vhsFile = join(root, "vhs.json");
    await writeFile(vhsFile, JSON.stringify({ shotline: { ...wan.settings, sizes }, prompt: vhsGraph }));
    vhs = loadWorkflow(vhsFile);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    peer = await startComfyPeer({ ffmpegPath });
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) engine.close();
    await peer.close();
  });

  function engineFor(workflow: Workflow = small, url = peer.url) {
    const engine = createComfyuiEngine({
      url,
      workflow,
      ffmpegPath,
      ffprobePath,
      clientId: `test-${randomUUID()}`,
      pollMs: 50,
      checkMs: 100,
    });
    engines.push(engine);
    return engine;
  }

  /** Starts a generation in a fresh work dir, collecting its logs and progress. */
  function start(engine: ComfyuiEngine, generation: GenerationPlan, signal = new AbortController().signal) {
    const logs: string[] = [];
    const progress: number[] = [];
    const result = mkdtemp(join(root, "run-")).then(async (workDir) => ({
      ...(await engine.generate(generation, {
        signal,
        workDir,
        log: (message, level = "INFO") => logs.push(`${level} ${message}`),
        progress: (fraction) => progress.push(fraction),
      })),
      workDir,
    }));
    return { result, logs, progress };
  }

  const ours = (status: PeerPrompt["status"]) => () =>
    [...peer.prompts.values()].find(
      (prompt) => prompt.clientId?.startsWith("test-") && prompt.status === status,
    );

  it("runs the Wan 2.2 template at 1280×704, 24 fps, 73 frames and conforms to exactly 1920×1080, 72 frames", async () => {
    const engine = engineFor(loadWorkflow("wan2.2-ti2v-5b"));
    const prompt = 'A "quoted" saxophonist,\nsmoke drifting — {warm} light';
    const generation = plan({ prompt });
    const { result, logs, progress } = start(engine, generation);
    const { path, workDir } = await result;

    const [submitted] = [...peer.prompts.values()];
    assert.ok(submitted);
    const inputs = (node: string) => submitted.graph[node]!.inputs!;
    assert.deepEqual(
      [inputs("55")["width"], inputs("55")["height"], inputs("55")["length"], inputs("57")["fps"]],
      [1280, 704, 73, 24],
      "numeric placeholders arrive as JSON numbers",
    );
    assert.equal(inputs("6")["text"], prompt);
    assert.equal(inputs("7")["text"], loadWorkflow("wan2.2-ti2v-5b").settings.negative_prompt);
    assert.equal(inputs("3")["seed"], shotSeed(generation.seed, 0));
    assert.match(submitted.clientId ?? "", /^test-/, "submitted with the socket's client id");
    assert.deepEqual(submitted.native, {
      width: 1280,
      height: 704,
      fps: 24,
      frames: 73,
      pattern: "testsrc2",
    });

    assert.equal(path, join(workDir, "output.mp4"));
    const facts = await probeVideo(ffprobePath, path, { countFrames: true });
    assert.deepEqual(
      [
        facts.width,
        facts.height,
        facts.fps,
        facts.numFrames,
        facts.codec,
        facts.profile,
        facts.pixFmt,
        facts.colorSpace,
      ],
      [1920, 1080, 24, 72, "h264", "High", "yuv420p", "bt709"],
    );
    // Sampler progress came over the websocket, between the binary preview frames.
    assert.ok(
      progress.some((fraction) => Math.abs(fraction - 0.45) < 1e-9),
      `progress ${progress.join(" ")}`,
    );
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
      "progress never goes back",
    );
    assert.equal(progress.at(-1), 1);
    assert.ok(logs.some((line) => line.includes(`queued as prompt ${submitted.id}`)));
    assert.ok(logs.some((line) => line.includes("1280×704, 73 frames at 24 fps")));
  });

  it("runs the LTX-Video template portrait at 704×1216, 30 fps on the 8k + 1 grid, conformed to 1080×1920 at 24 fps", async () => {
    const engine = engineFor(loadWorkflow("ltx-video"));
    const { result } = start(engine, plan({ prompt: "a neon street in the rain", aspect_ratio: "9:16" }));
    const { path } = await result;
    const [submitted] = [...peer.prompts.values()];
    assert.deepEqual(submitted?.native, {
      width: 704,
      height: 1216,
      fps: 30,
      frames: 97,
      pattern: "testsrc2",
    });
    assert.equal(submitted?.graph["69"]?.inputs?.["frame_rate"], 30);
    const facts = await probeVideo(ffprobePath, path, { countFrames: true });
    assert.deepEqual([facts.width, facts.height, facts.fps, facts.numFrames], [1080, 1920, 24, 72]);
  });

  it("generates each shot of a storyboard as its own prompt and joins them with cuts on exact frames", async () => {
    const engine = engineFor();
    const generation = plan({
      multi_prompt: [
        { prompt: "shot one", duration: "1" },
        { prompt: "shot two", duration: "1" },
        { prompt: "shot three", duration: "1" },
      ],
    });
    const { result } = start(engine, generation);
    const { path, workDir } = await result;
    const submitted = [...peer.prompts.values()];
    assert.deepEqual(
      submitted.map((prompt) => prompt.graph["6"]?.inputs?.["text"]),
      ["shot one", "shot two", "shot three"],
    );
    assert.deepEqual(
      submitted.map((prompt) => prompt.graph["3"]?.inputs?.["seed"]),
      [0, 1, 2].map((index) => shotSeed(generation.seed, index)),
    );
    assert.equal(new Set(submitted.map((prompt) => prompt.graph["3"]?.inputs?.["seed"])).size, 3);

    const facts = await probeVideo(ffprobePath, path, { countFrames: true });
    assert.deepEqual([facts.width, facts.height, facts.fps, facts.numFrames], [1920, 1080, 24, 72]);
    const frames = await decodeFrames(ffmpegPath, path, { width: 64, height: 36 });
    const diffs = frames.map((frame, i) => (i === 0 ? 0 : meanAbsDiff(frames[i - 1]!, frame)));
    const biggest = diffs
      .map((diff, frame) => ({ diff, frame }))
      .sort((a, b) => b.diff - a.diff)
      .slice(0, 2)
      .map((cut) => cut.frame)
      .sort((a, b) => a - b);
    assert.deepEqual(biggest, [24, 48], "cuts at the shot boundaries");
    assert.deepEqual((await readdir(workDir)).sort(), [
      "output.mp4",
      ...[1, 2, 3].flatMap((n) => [`shot-${n}.conformed.mp4`, `shot-${n}.mp4`]),
    ]);
  });

  for (const key of ["images", "gifs", "videos"] as const) {
    it(`finds the video listed under "${key}" by its extension, skipping the temp preview and the PNG`, async () => {
      peer.options.outputKey = key;
      const { result, logs } = start(engineFor(), oneSecond());
      const { path } = await result;
      assert.equal((await probeVideo(ffprobePath, path)).numFrames, 24);
      assert.ok(
        logs.some((line) => /got shotline_wan22_00001_\.mp4, 320×176, 25 frames/.test(line)),
        logs.join("\n"),
      );
    });
  }

  it("takes VideoHelperSuite's combine node, which lists its file under gifs", async () => {
    const { result, logs } = start(engineFor(vhs), oneSecond());
    await result;
    assert.ok(
      logs.some((line) => /got vhs_00001\.mp4/.test(line)),
      logs.join("\n"),
    );
    assert.equal([...peer.prompts.values()][0]?.native?.fps, 24, "frame_rate placeholder filled");
  });

  it("treats node_errors on a 200 as a failure and withdraws the prompt ComfyUI queued anyway", async () => {
    peer.options.partialNodeErrors = true;
    peer.options.paused = true;
    const { result } = start(engineFor(), oneSecond());
    const error = await result.catch((caught: unknown) => caught);
    assert.ok(error instanceof WorkflowRejectedError, String(error));
    assert.ok(error instanceof UnrecoverableError, "no retry can fix a workflow");
    assert.match(
      error.message,
      /node 999 \(SaveImage\): Value not in list: ckpt_name: 'missing_model\.safetensors'/,
    );
    const [queued] = [...peer.prompts.values()];
    assert.deepEqual(peer.deletes, [queued?.id]);
    assert.equal(queued?.status, "deleted");
  });

  it("reports a 400 for an invalid graph with ComfyUI's words", async () => {
    const wrongType = JSON.parse(JSON.stringify(small)) as Workflow;
    wrongType.graph["55"]!.inputs["width"] = "{{prompt}}";
    const { result } = start(engineFor(wrongType), oneSecond("wide"));
    const error = await result.catch((caught: unknown) => caught);
    assert.ok(error instanceof WorkflowRejectedError, String(error));
    assert.match(
      error.message,
      /Prompt outputs failed validation; node 55 \(Wan22ImageToVideoLatent\): Failed to convert an input value to a INT value: width, wide/,
    );

    const missingNode = JSON.parse(JSON.stringify(small)) as Workflow;
    missingNode.graph["99"] = { class_type: "NotInstalledNode", inputs: {} };
    const second = await start(engineFor(missingNode), oneSecond()).result.catch((caught: unknown) => caught);
    assert.ok(second instanceof WorkflowRejectedError);
    assert.match(second.message, /Cannot execute because node NotInstalledNode does not exist/);
    assert.equal(peer.prompts.size, 0, "nothing was queued");
  });

  it("fails a shot with ComfyUI's exception message when execution fails, leaving a retry possible", async () => {
    peer.options.executionError = "CUDA out of memory. Tried to allocate 2.00 GiB";
    const error = await start(engineFor(), oneSecond()).result.catch((caught: unknown) => caught);
    assert.ok(error instanceof PromptFailedError, String(error));
    assert.ok(!(error instanceof UnrecoverableError));
    assert.match(error.message, /failed in node 3 \(KSampler\): CUDA out of memory/);
  });

  it("keeps waiting while history answers {} for a queued prompt, and finishes once it has run", async () => {
    peer.options.paused = true;
    const { result } = start(engineFor(), oneSecond());
    let settled = false;
    void result.then(
      () => (settled = true),
      () => (settled = true),
    );
    const queued = await peer.waitFor(ours("pending"));
    const queueChecks = () => peer.requests.filter((route) => route === "/queue").length;
    const before = queueChecks();
    await peer.waitFor(() => (queueChecks() >= before + 3 ? true : undefined));
    const history = (await (await fetch(`${peer.url}/history/${queued.id}`)).json()) as object;
    assert.deepEqual(history, {}, "ComfyUI's answer for a prompt not yet done");
    assert.equal(settled, false, "still waiting");
    peer.resume();
    const { path } = await result;
    assert.equal((await probeVideo(ffprobePath, path)).numFrames, 24);
  });

  it("fails, instead of waiting forever, for a prompt ComfyUI no longer knows", async () => {
    peer.options.paused = true;
    const { result } = start(engineFor(), oneSecond());
    const queued = await peer.waitFor(ours("pending"));
    peer.forget(queued.id);
    const error = await result.catch((caught: unknown) => caught);
    assert.ok(error instanceof PromptFailedError, String(error));
    assert.match(
      error.message,
      new RegExp(`does not know prompt ${queued.id}: it is neither queued nor in history`),
    );
  });

  it("polls when the websocket is refused", async () => {
    peer.options.refuseSockets = true;
    const { result, progress } = start(engineFor(), oneSecond());
    const { path } = await result;
    assert.equal((await probeVideo(ffprobePath, path)).numFrames, 24);
    assert.equal(peer.socketConnections, 0);
    assert.equal(progress.at(-1), 1);
  });

  it("survives a dropped websocket mid-shot: it reconnects and polls meanwhile", async () => {
    peer.options.steps = 20;
    peer.options.stepDelayMs = 100;
    const { result } = start(engineFor(), oneSecond());
    await peer.waitFor(ours("running"));
    peer.dropSockets();
    const { path } = await result;
    assert.equal((await probeVideo(ffprobePath, path)).numFrames, 24);
    assert.ok(peer.socketConnections >= 2, `connections: ${peer.socketConnections}`);
  });

  it("serves a ComfyUI reached under its /api/ prefix", async () => {
    const { result } = start(engineFor(small, `${peer.url}/api`), oneSecond());
    await result;
    assert.ok(peer.requests.length > 0);
    assert.deepEqual(
      peer.requests.filter((route) => !route.startsWith("/api/")),
      [],
    );
    assert.ok(peer.socketConnections >= 1);
  });

  it("cancels a pending prompt by deleting it from the queue, leaving someone else's running prompt alone", async () => {
    // An old build's /interrupt would stop whatever runs: it must not be called at all here.
    peer.options.legacyInterrupt = true;
    peer.options.steps = 30;
    peer.options.stepDelayMs = 100;
    const foreign = await peer.submitForeign(fillGraph(small.graph, foreignValues));
    await peer.waitFor(() => (peer.prompts.get(foreign)?.status === "running" ? true : undefined));
    const controller = new AbortController();
    const { result, logs } = start(engineFor(), oneSecond(), controller.signal);
    const queued = await peer.waitFor(ours("pending"));
    controller.abort();
    const error = await result.catch((caught: unknown) => caught);
    assert.ok(error instanceof PromptCancelledError, String(error));
    assert.deepEqual(peer.deletes, [queued.id]);
    assert.deepEqual(peer.interrupts, []);
    assert.ok(logs.some((line) => line.includes(`prompt ${queued.id} deleted`)));
    await peer.waitFor(() => (peer.prompts.get(foreign)?.status === "success" ? true : undefined));
  });

  it("cancels its running prompt with an interrupt naming it, and the next prompt in the queue still runs", async () => {
    peer.options.steps = 50;
    peer.options.stepDelayMs = 100;
    const controller = new AbortController();
    const { result, logs } = start(engineFor(), oneSecond(), controller.signal);
    const running = await peer.waitFor(ours("running"));
    const foreign = await peer.submitForeign(fillGraph(small.graph, foreignValues));
    peer.options.steps = 2;
    controller.abort();
    const error = await result.catch((caught: unknown) => caught);
    assert.ok(error instanceof PromptCancelledError, String(error));
    assert.deepEqual(peer.interrupts, [{ promptId: running.id, running: running.id }]);
    assert.deepEqual(peer.deletes, []);
    assert.ok(logs.some((line) => line.includes(`prompt ${running.id} interrupted`)));
    await peer.waitFor(() => (peer.prompts.get(running.id)?.status === "interrupted" ? true : undefined));
    await peer.waitFor(() => (peer.prompts.get(foreign)?.status === "success" ? true : undefined));
  });
});

const foreignValues = {
  prompt: "someone else's video",
  negative_prompt: "",
  width: 320,
  height: 176,
  frames: 25,
  fps: 24,
  seed: 7,
};
