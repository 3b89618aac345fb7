import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { loadWorkflow } from "../../src/engines/comfyui/workflow.ts";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { decodeFrames, meanAbsDiff } from "../media/frames.ts";
import { startComfyPeer, type ComfyPeer } from "../support/comfyui-peer.ts";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitCompleted,
  type ServerProcess,
} from "../support/server-process.ts";

const { ffmpegPath, ffprobePath } = defaultMediaTools();

describe("a Shotline server with SHOTLINE_ENGINE=comfyui, against a local ComfyUI peer", () => {
  let dir: string;
  let peer: ComfyPeer;
  let server: ServerProcess;
  let workflowFile: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "shotline-comfyui-e2e-"));
    // The Wan template with small native sizes, brought as the operator's own workflow file.
    const wan = loadWorkflow("wan2.2-ti2v-5b");
    workflowFile = join(dir, "my-workflow.json");
    const sizes = { "16:9": [320, 176], "9:16": [176, 320], "1:1": [240, 240] };
    await writeFile(
      workflowFile,
      JSON.stringify({ shotline: { ...wan.settings, sizes }, prompt: wan.graph }),
    );
    peer = await startComfyPeer({ ffmpegPath });
    server = await startServer({
      SHOTLINE_ENGINE: "comfyui",
      SHOTLINE_COMFYUI_URL: peer.url,
      SHOTLINE_COMFYUI_WORKFLOW: workflowFile,
      SHOTLINE_MAX_ATTEMPTS: "1",
    });
  });
  after(async () => {
    await server?.stop();
    await server?.cleanup();
    await peer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("renders a 3-shot storyboard: 1440×1440, 24 fps, exactly 72 frames, cuts on the shot boundaries", async () => {
    const { body: receipt } = await postJson(`${server.url}/queue/${ENDPOINT}`, {
      multi_prompt: [
        { prompt: "A beach at dawn, pan left", duration: "1" },
        { prompt: "A forest at night", duration: "1" },
        { prompt: "A city street in the rain", duration: "1" },
      ],
      aspect_ratio: "1:1",
    });
    const status = await waitCompleted(receipt.status_url as string);
    assert.equal(status.error, undefined, JSON.stringify(status));
    const logs = (status.logs as Array<{ message: string }>).map((entry) => entry.message);
    assert.ok(
      logs.some((line) => line.startsWith("comfyui: shot 3/3: 240×240, 25 frames at 24 fps")),
      logs.join("\n"),
    );
    const { body: result } = await getJson(receipt.response_url as string);
    const video = result.video as {
      url: string;
      width: number;
      height: number;
      num_frames: number;
      fps: number;
    };
    assert.deepEqual([video.width, video.height, video.fps, video.num_frames], [1440, 1440, 24, 72]);

    const file = join(dir, "output.mp4");
    await writeFile(file, Buffer.from(await (await fetch(video.url)).arrayBuffer()));
    const facts = await probeVideo(ffprobePath, file, { countFrames: true });
    assert.deepEqual([facts.width, facts.height, facts.fps, facts.numFrames], [1440, 1440, 24, 72]);
    const frames = await decodeFrames(ffmpegPath, file, { width: 48, height: 48 });
    const diffs = frames.map((frame, i) => (i === 0 ? 0 : meanAbsDiff(frames[i - 1]!, frame)));
    const cuts = diffs
      .map((diff, frame) => ({ diff, frame }))
      .sort((a, b) => b.diff - a.diff)
      .slice(0, 2)
      .map((cut) => cut.frame)
      .sort((a, b) => a - b);
    assert.deepEqual(cuts, [24, 48]);
    assert.equal(peer.prompts.size, 3, "one ComfyUI prompt per shot");
  });

  it("withdraws the request's prompt from ComfyUI when the request is cancelled", async () => {
    peer.options.paused = true;
    const { body: receipt } = await postJson(`${server.url}/queue/${ENDPOINT}`, { prompt: "cancel me" });
    const queued = await peer.waitFor(() =>
      [...peer.prompts.values()].find((prompt) => prompt.status === "pending"),
    );
    const cancel = await fetch(receipt.cancel_url as string, { method: "PUT" });
    assert.equal(cancel.status, 202);
    await peer.waitFor(() => (peer.deletes.includes(queued.id) ? true : undefined));
    const status = await waitCompleted(receipt.status_url as string);
    assert.equal(status.error_type, "cancelled", JSON.stringify(status));
    assert.deepEqual(peer.interrupts, []);
    peer.resume();
  });

  it("ends a request with ComfyUI's error when execution fails, and keeps serving", async () => {
    peer.options.executionError = "CUDA out of memory";
    const { body: receipt } = await postJson(`${server.url}/queue/${ENDPOINT}`, { prompt: "too big" });
    const status = await waitCompleted(receipt.status_url as string);
    assert.match(String(status.error), /CUDA out of memory/);
    delete peer.options.executionError;
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.match(JSON.stringify(await health.json()), /comfyui/);
  });

  it("does not start with a bad workflow file, naming the setting", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(
      bad,
      JSON.stringify({ "1": { class_type: "CLIPTextEncode", inputs: { text: "{{promt}}" } } }),
    );
    await assert.rejects(
      startServer(
        { SHOTLINE_ENGINE: "comfyui", SHOTLINE_COMFYUI_URL: peer.url, SHOTLINE_COMFYUI_WORKFLOW: bad },
        join(dir, "never-started"),
      ),
      (error: Error) =>
        /server exited \(2\)/.test(error.message) &&
        error.message.includes(`SHOTLINE_COMFYUI_WORKFLOW=${bad}: unknown placeholder(s) {{promt}}`),
    );
  });
});
