import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { MediaToolError } from "../../src/media/errors.ts";
import { isFastStart, readTopLevelBoxes } from "../../src/media/mp4-boxes.ts";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";

const run = promisify(execFile);
const { ffmpegPath, ffprobePath } = defaultMediaTools();

describe("probeVideo and MP4 boxes", () => {
  let dir: string;
  let plainMp4: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "shotline-probe-"));
    // A file made without +faststart, at 30 fps and 640×360, by ffmpeg's own test source.
    plainMp4 = join(dir, "plain.mp4");
    await run(ffmpegPath, [
      ...["-v", "error", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30:duration=1.5"],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", plainMp4],
    ]);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the facts of a file it did not write", async () => {
    const facts = await probeVideo(ffprobePath, plainMp4);
    assert.equal(facts.codec, "h264");
    assert.equal(facts.width, 640);
    assert.equal(facts.height, 360);
    assert.equal(facts.fps, 30);
    assert.equal(facts.numFrames, 45);
    assert.ok(Math.abs(facts.duration - 1.5) < 1e-3);
    assert.equal(facts.colorSpace, "unknown", "an untagged file says so");
    const counted = await probeVideo(ffprobePath, plainMp4, { countFrames: true });
    assert.equal(counted.numFrames, 45);
  });

  it("tells a faststart file from one with the index at the end", async () => {
    assert.equal(await isFastStart(plainMp4), false);
    const types = (await readTopLevelBoxes(plainMp4)).map((box) => box.type);
    assert.equal(types[0], "ftyp");
    assert.ok(types.indexOf("mdat") < types.indexOf("moov"));

    const fast = join(dir, "fast.mp4");
    await run(ffmpegPath, [
      "-v",
      "error",
      "-i",
      plainMp4,
      "-c",
      "copy",
      "-movflags",
      "+faststart",
      "-y",
      fast,
    ]);
    assert.equal(await isFastStart(fast), true);
  });

  it("reports the audio stream of a file that has one, and none for one without", async () => {
    const withSound = join(dir, "with-sound.mp4");
    await run(ffmpegPath, [
      ...["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=24:duration=1"],
      ...["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=1"],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
      ...["-c:a", "aac", "-ac", "2", "-ar", "48000", "-y", withSound],
    ]);
    for (const countFrames of [false, true]) {
      const facts = await probeVideo(ffprobePath, withSound, { countFrames });
      assert.equal(facts.numFrames, 24, "the video stream is still the one described");
      assert.equal(facts.width, 320);
      assert.deepEqual(facts.audio && [facts.audio.codec, facts.audio.sampleRate, facts.audio.channels], [
        "aac",
        48_000,
        2,
      ]);
      assert.ok(Math.abs((facts.audio?.duration ?? 0) - 1) < 0.05);
    }
    assert.equal((await probeVideo(ffprobePath, plainMp4)).audio, undefined);
  });

  it("throws a MediaToolError for a file that is not a video", async () => {
    const text = join(dir, "not-a-video.mp4");
    await writeFile(text, "hello");
    await assert.rejects(probeVideo(ffprobePath, text), MediaToolError);
  });
});
