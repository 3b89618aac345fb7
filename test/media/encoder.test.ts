import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { EncodeAbortedError, MediaToolError } from "../../src/media/errors.ts";
import { startEncoder } from "../../src/media/encoder.ts";
import { isFastStart } from "../../src/media/mp4-boxes.ts";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { decodeFrames, isAlive } from "./frames.ts";

const { ffmpegPath, ffprobePath } = defaultMediaTools();
const run = promisify(execFile);
const WIDTH = 320;
const HEIGHT = 180;

/** A frame with a bar whose position depends on `index`, so frames differ as real video does. */
function testFrame(index: number, color: [number, number, number] = [40, 90, 200]): Buffer {
  const frame = Buffer.alloc(WIDTH * HEIGHT * 4);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const offset = (y * WIDTH + x) * 4;
      const onBar = Math.abs(x - ((index * 7) % WIDTH)) < 10;
      frame[offset] = onBar ? 255 : color[0];
      frame[offset + 1] = onBar ? 255 : color[1];
      frame[offset + 2] = onBar ? 255 : color[2];
      frame[offset + 3] = 255;
    }
  }
  return frame;
}

describe("startEncoder", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "shotline-encoder-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes H.264 High yuv420p BT.709 at 24 fps with exactly the frames written, faststart", async () => {
    const outputPath = join(dir, "basic.mp4");
    const progress: number[] = [];
    const encoder = startEncoder({
      ffmpegPath,
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath,
      onProgress: (frames) => progress.push(frames),
    });
    for (let i = 0; i < 37; i++) await encoder.writeFrame(testFrame(i));
    assert.equal(encoder.framesWritten, 37);
    const result = await encoder.finish();
    assert.deepEqual(result, { path: outputPath, frames: 37 });

    const facts = await probeVideo(ffprobePath, outputPath);
    assert.equal(facts.codec, "h264");
    assert.equal(facts.profile, "High");
    assert.equal(facts.pixFmt, "yuv420p");
    assert.equal(facts.width, WIDTH);
    assert.equal(facts.height, HEIGHT);
    assert.equal(facts.fps, 24);
    assert.equal(facts.numFrames, 37);
    assert.ok(Math.abs(facts.duration - 37 / 24) < 1e-3, `duration ${facts.duration}`);
    assert.equal(facts.colorSpace, "bt709");
    assert.equal(facts.colorPrimaries, "bt709");
    assert.equal(facts.colorTransfer, "bt709");
    assert.equal(facts.colorRange, "tv");
    assert.match(facts.formatName, /mp4/);
    assert.ok(facts.size > 0);
    assert.equal(await isFastStart(outputPath), true);
    // Decoding agrees with the header's count.
    assert.equal((await probeVideo(ffprobePath, outputPath, { countFrames: true })).numFrames, 37);
    assert.equal(progress.at(-1), 37, "the last progress report is the whole count");
    assert.deepEqual(await readdir(dir), ["basic.mp4"], "no temp file left beside the output");
  });

  it("converts with the BT.709 matrix into limited range, not only tags it", async () => {
    const outputPath = join(dir, "red.mp4");
    const encoder = startEncoder({ ffmpegPath, width: WIDTH, height: HEIGHT, fps: 24, outputPath });
    const red = Buffer.alloc(WIDTH * HEIGHT * 4);
    for (let i = 0; i < red.length; i += 4) red.set([255, 0, 0, 255], i);
    for (let i = 0; i < 3; i++) await encoder.writeFrame(red);
    await encoder.finish();
    // Read the stored luma plane: pure red is Y = 16 + 219 × 0.2126 ≈ 63 in BT.709 limited range,
    // but ≈ 82 with BT.601 coefficients and ≈ 54 in full range.
    const [frame] = await decodeFrames(ffmpegPath, outputPath, {
      width: WIDTH,
      height: HEIGHT,
      format: "yuv420p",
    });
    assert.ok(frame);
    const center = frame[(HEIGHT / 2) * WIDTH + WIDTH / 2] ?? 0;
    assert.ok(Math.abs(center - 63) <= 2, `luma of pure red was ${center}`);
  });

  it("keeps a single frame as a single frame", async () => {
    const outputPath = join(dir, "one.mp4");
    const encoder = startEncoder({ ffmpegPath, width: WIDTH, height: HEIGHT, fps: 24, outputPath });
    await encoder.writeFrame(testFrame(0));
    await encoder.finish();
    assert.equal((await probeVideo(ffprobePath, outputPath, { countFrames: true })).numFrames, 1);
  });

  it("encodes tiny frames without waiting forever for backpressure", { timeout: 15_000 }, async () => {
    const outputPath = join(dir, "tiny.mp4");
    const encoder = startEncoder({ ffmpegPath, width: 16, height: 16, fps: 24, outputPath });
    for (let i = 0; i < 30; i++) await encoder.writeFrame(Buffer.alloc(16 * 16 * 4, i * 8));
    await encoder.finish();
    assert.equal((await probeVideo(ffprobePath, outputPath)).numFrames, 30);
  });

  it("is done with a frame's buffer once its write resolves, so one buffer can carry every frame", async () => {
    const outputPath = join(dir, "reused.mp4");
    const encoder = startEncoder({ ffmpegPath, width: WIDTH, height: HEIGHT, fps: 24, outputPath });
    const buffer = Buffer.alloc(WIDTH * HEIGHT * 4);
    const levels = [20, 230, 20, 230, 120, 60];
    for (const level of levels) {
      // Overwritten as soon as the previous write resolved: if ffmpeg had not taken it all by
      // then, frames would come out mixed.
      for (let i = 0; i < buffer.length; i += 4) buffer.set([level, level, level, 255], i);
      await encoder.writeFrame(buffer);
    }
    await encoder.finish();
    const frames = await decodeFrames(ffmpegPath, outputPath, { width: 32, height: 18 });
    assert.equal(frames.length, levels.length);
    frames.forEach((frame, i) => {
      const mean = frame.reduce((sum, value) => sum + value, 0) / frame.length;
      assert.ok(
        Math.abs(mean - (levels[i] ?? 0)) < 12,
        `frame ${i}: mean ${mean.toFixed(0)}, wrote ${levels[i]}`,
      );
    });
  });

  it("sends frames written without waiting in order, resolving each once sent", async () => {
    const outputPath = join(dir, "unawaited.mp4");
    const encoder = startEncoder({ ffmpegPath, width: WIDTH, height: HEIGHT, fps: 24, outputPath });
    const resolved: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => encoder.writeFrame(testFrame(i)).then(() => resolved.push(i))),
    );
    assert.deepEqual(
      resolved,
      Array.from({ length: 12 }, (_, i) => i),
    );
    await encoder.finish();
    assert.equal((await probeVideo(ffprobePath, outputPath, { countFrames: true })).numFrames, 12);
  });

  it("muxes an audio file as AAC 48 kHz stereo beside the unchanged video", async () => {
    const audioDir = await mkdtemp(join(dir, "audio-"));
    // A mono 44.1 kHz tone from ffmpeg's own source: the encoder converts it.
    const tone = join(audioDir, "tone.wav");
    await run(ffmpegPath, [
      ...["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1.5"],
      ...["-y", tone],
    ]);
    const outputPath = join(audioDir, "with-sound.mp4");
    const encoder = startEncoder({
      ffmpegPath,
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath,
      // Handed over late, as an engine still making its sound would: the frames flow meanwhile.
      audio: { wav: new Promise((resolve) => setTimeout(() => resolve(readFile(tone)), 300)) },
    });
    for (let i = 0; i < 36; i++) await encoder.writeFrame(testFrame(i));
    await encoder.finish();
    const facts = await probeVideo(ffprobePath, outputPath, { countFrames: true });
    assert.equal(facts.numFrames, 36);
    assert.equal(facts.codec, "h264");
    assert.equal(facts.profile, "High");
    assert.equal(facts.colorSpace, "bt709");
    assert.deepEqual(facts.audio && [facts.audio.codec, facts.audio.sampleRate, facts.audio.channels], [
      "aac",
      48_000,
      2,
    ]);
    assert.ok(Math.abs((facts.audio?.duration ?? 0) - 1.5) < 1 / 24, `audio ${facts.audio?.duration} s`);
    assert.equal(await isFastStart(outputPath), true);
    const silent = await probeVideo(ffprobePath, join(dir, "basic.mp4"));
    assert.equal(silent.audio, undefined, "without an audio file the video stays silent");
  });

  it("fails the encode, leaving nothing, when the sound track cannot be made", async () => {
    const failDir = await mkdtemp(join(dir, "no-sound-"));
    const encoder = startEncoder({
      ffmpegPath,
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath: join(failDir, "out.mp4"),
      audio: { wav: Promise.reject(new Error("synthesis broke")) },
    });
    const error = await (async () => {
      try {
        for (let i = 0; i < 24; i++) await encoder.writeFrame(testFrame(i));
        await encoder.finish();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof Error);
    assert.match(error.message, /synthesis broke/);
    assert.deepEqual(await readdir(failDir), []);
  });

  it("rejects a frame of the wrong size", async () => {
    const encoder = startEncoder({
      ffmpegPath,
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath: join(dir, "x.mp4"),
    });
    await assert.rejects(encoder.writeFrame(Buffer.alloc(10)), RangeError);
    await encoder.abort();
  });

  it("aborts mid-encode: EncodeAbortedError, ffmpeg gone, nothing left on disk", async () => {
    const abortDir = await mkdtemp(join(dir, "abort-"));
    const controller = new AbortController();
    const encoder = startEncoder({
      ffmpegPath,
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath: join(abortDir, "out.mp4"),
      signal: controller.signal,
    });
    const pid = encoder.pid;
    assert.ok(pid !== undefined && isAlive(pid));
    for (let i = 0; i < 10; i++) await encoder.writeFrame(testFrame(i));
    controller.abort();
    await assert.rejects(encoder.writeFrame(testFrame(10)), EncodeAbortedError);
    await assert.rejects(encoder.finish(), EncodeAbortedError);
    assert.equal(isAlive(pid), false, "the ffmpeg child was killed and reaped");
    assert.deepEqual(await readdir(abortDir), [], "no output and no partial file");
  });

  it("rejects a pending write with EncodeAbortedError when aborted while waiting", async () => {
    const controller = new AbortController();
    const encoder = startEncoder({
      ffmpegPath,
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath: join(dir, "pending.mp4"),
      signal: controller.signal,
    });
    const write = encoder.writeFrame(testFrame(0));
    controller.abort();
    // Either the write had already drained or it is woken by the kill; both end aborted.
    await write.catch((error: unknown) => assert.ok(error instanceof EncodeAbortedError));
    await assert.rejects(encoder.finish(), EncodeAbortedError);
    assert.equal(existsSync(join(dir, "pending.mp4")), false);
  });

  it("reports an ffmpeg failure with its stderr and leaves no file", async () => {
    const failDir = await mkdtemp(join(dir, "fail-"));
    const encoder = startEncoder({
      ffmpegPath,
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath: join(failDir, "out.mp4"),
      preset: "no-such-preset",
    });
    const error = await (async () => {
      try {
        for (let i = 0; i < 5; i++) await encoder.writeFrame(testFrame(i));
        await encoder.finish();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof MediaToolError, `got ${String(error)}`);
    assert.notEqual(error.exitCode, 0);
    assert.match(error.stderr, /preset/i);
    assert.deepEqual(await readdir(failDir), []);
  });

  it("reports a missing ffmpeg binary as a MediaToolError", async () => {
    const encoder = startEncoder({
      ffmpegPath: join(dir, "no-ffmpeg-here"),
      width: WIDTH,
      height: HEIGHT,
      fps: 24,
      outputPath: join(dir, "never.mp4"),
    });
    assert.equal(encoder.pid, undefined);
    await assert.rejects(
      encoder.finish(),
      (error) => error instanceof MediaToolError && /ENOENT/.test(error.message),
    );
  });
});
