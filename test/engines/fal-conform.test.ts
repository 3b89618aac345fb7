import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { conformToPlan, differencesFromPlan } from "../../src/engines/fal/conform.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";
import { probeVideo, type VideoFacts } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";

/** What the fal engine does with a model file that does not follow the plan (size, rate, length). */
describe("fal engine: conforming the model's file", () => {
  const tools = defaultMediaTools();
  const plan = makeGenerationPlan({ prompt: "x", aspect_ratio: "16:9", duration: "3" });
  const conforming: VideoFacts = {
    codec: "h264",
    profile: "High",
    width: 1920,
    height: 1080,
    pixFmt: "yuv420p",
    fps: 24,
    numFrames: 72,
    duration: 3,
    colorSpace: "bt709",
    colorPrimaries: "bt709",
    colorTransfer: "bt709",
    colorRange: "tv",
    formatName: "mov,mp4,m4a,3gp,3g2,mj2",
    size: 1,
  };
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(os.tmpdir(), "shotline-fal-conform-"))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it("names each way a file differs from the plan", () => {
    assert.deepEqual(differencesFromPlan(conforming, plan), []);
    assert.deepEqual(
      differencesFromPlan({ ...conforming, width: 1280, height: 720, fps: 30, numFrames: 75 }, plan),
      ["size 1280×720", "30 fps", "75 frames"],
    );
    assert.deepEqual(differencesFromPlan({ ...conforming, numFrames: 73 }, plan), ["73 frames"]);
  });

  it("re-encodes a 1280×720, 30 fps, 2.5 s file to the plan's size, rate and exact frame count", async () => {
    const source = path.join(dir, "model.mp4");
    await promisify(execFile)(tools.ffmpegPath, [
      ...["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi"],
      ...[
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        "2.5",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
      ],
      ...["-c:a", "aac", "-y", source],
    ]);
    const logs: string[] = [];
    const output = await conformToPlan(source, plan, {
      ...tools,
      signal: new AbortController().signal,
      log: (message) => logs.push(message),
      outputPath: path.join(dir, "output.mp4"),
    });
    assert.equal(output, path.join(dir, "output.mp4"));
    const facts = await probeVideo(tools.ffprobePath, output, { countFrames: true });
    assert.deepEqual(
      [facts.codec, facts.profile, facts.width, facts.height, facts.fps, facts.numFrames, facts.pixFmt],
      ["h264", "High", 1920, 1080, 24, 72, "yuv420p"],
    );
    assert.equal(facts.colorSpace, "bt709");
    assert.ok(
      logs.some((m) => /size 1280×720, 30 fps, 75 frames/.test(m)),
      logs.join("\n"),
    );

    // A file that already follows the plan is kept as it is: same path, nothing new written.
    const before = await readdir(dir);
    const again = await conformToPlan(output, plan, {
      ...tools,
      signal: new AbortController().signal,
      log: (message) => logs.push(message),
      outputPath: path.join(dir, "second.mp4"),
    });
    assert.equal(again, output);
    assert.deepEqual(await readdir(dir), before);
  });
});
