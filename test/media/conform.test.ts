import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { conformVideos, joinVideos } from "../../src/media/conform.ts";
import { EncodeAbortedError, MediaToolError } from "../../src/media/errors.ts";
import { isFastStart } from "../../src/media/mp4-boxes.ts";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { childProcesses, decodeFrames, meanAbsDiff } from "./frames.ts";

const run = promisify(execFile);
const { ffmpegPath, ffprobePath } = defaultMediaTools();
const SMALL = { width: 64, height: 36 };

describe("conformVideos", () => {
  let dir: string;
  /** Native clips as engines deliver them: another size, another frame rate, another length. */
  const clips: Record<string, string> = {};

  /** Encodes `frames` frames of an ffmpeg test source (a lavfi filter graph) to an MP4. */
  async function clip(name: string, source: string, frames: number) {
    const path = join(dir, `${name}.mp4`);
    await run(ffmpegPath, [
      ...["-v", "error", "-f", "lavfi", "-i", source, "-frames:v", String(frames)],
      ...["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", path],
    ]);
    clips[name] = path;
    return path;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "shotline-conform-"));
    // Wan-like: 1280×704 at 24 fps, 1 + 4k frames.
    await clip("wan", "testsrc2=size=1280x704:rate=24", 73);
    // LTX-like: 1216×704 at 30 fps, another picture (negated), too short for its shot.
    await clip("ltx", "testsrc2=size=1216x704:rate=30,negate", 41);
    // Portrait and short.
    await clip("portrait", "mandelbrot=size=704x1280:rate=24", 20);
    // Three vertical bands, red | green | blue, to see what a crop keeps.
    await clip(
      "bands",
      "color=c=red:s=428x704:r=24[a];color=c=0x00ff00:s=424x704:r=24[b];color=c=blue:s=428x704:r=24[c];" +
        "[a][b][c]hstack=inputs=3",
      24,
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [aspect, width, height] of [
    ["16:9", 1920, 1080],
    ["9:16", 1080, 1920],
    ["1:1", 1440, 1440],
  ] as const) {
    it(`conforms a 1280×704 clip to ${aspect}: ${width}×${height}, 24 fps, exactly 72 frames, H.264 High BT.709`, async () => {
      const outputPath = join(dir, `aspect-${width}x${height}.mp4`);
      const result = await conformVideos({
        ffmpegPath,
        inputs: [{ path: clips["wan"]!, frames: 72 }],
        width,
        height,
        fps: 24,
        outputPath,
      });
      assert.deepEqual(result, { path: outputPath, frames: 72 });
      const facts = await probeVideo(ffprobePath, outputPath, { countFrames: true });
      assert.equal(facts.width, width);
      assert.equal(facts.height, height);
      assert.equal(facts.fps, 24);
      assert.equal(facts.numFrames, 72);
      assert.ok(Math.abs(facts.duration - 3) < 1e-3, `duration ${facts.duration}`);
      assert.equal(facts.codec, "h264");
      assert.equal(facts.profile, "High");
      assert.equal(facts.pixFmt, "yuv420p");
      assert.equal(facts.colorSpace, "bt709");
      assert.equal(facts.colorPrimaries, "bt709");
      assert.equal(facts.colorTransfer, "bt709");
      assert.equal(facts.colorRange, "tv");
      assert.equal(await isFastStart(outputPath), true);
    });
  }

  const storyboard = () => [
    { path: clips["wan"]!, frames: 48 }, // 73 native frames: cut to 48
    { path: clips["ltx"]!, frames: 48 }, // 41 frames at 30 fps = 1.37 s: 33 frames at 24, held to 48
    { path: clips["portrait"]!, frames: 24 }, // 20 frames: held to 24
  ];
  const output = { width: 1920, height: 1080, fps: 24 };

  /** The storyboard above, checked frame by frame: cuts, trimmed and held shots. */
  async function checkStoryboard(outputPath: string) {
    const facts = await probeVideo(ffprobePath, outputPath, { countFrames: true });
    assert.deepEqual([facts.width, facts.height, facts.fps, facts.numFrames], [1920, 1080, 24, 120]);
    assert.equal(await isFastStart(outputPath), true);

    const frames = await decodeFrames(ffmpegPath, outputPath, SMALL);
    assert.equal(frames.length, 120);
    // diffs[i]: how much frame i differs from frame i - 1.
    const diffs = frames.map((frame, i) => (i === 0 ? 0 : meanAbsDiff(frames[i - 1]!, frame)));
    const cuts = diffs
      .map((diff, frame) => ({ diff, frame }))
      .sort((a, b) => b.diff - a.diff)
      .slice(0, 2)
      .map((cut) => cut.frame)
      .sort((a, b) => a - b);
    assert.deepEqual(cuts, [48, 96], "the two largest changes are the cuts");
    const inShot = diffs.filter((_, frame) => frame !== 48 && frame !== 96);
    const smallestCut = Math.min(diffs[48]!, diffs[96]!);
    assert.ok(
      Math.max(...inShot) * 5 < smallestCut,
      `cuts ${smallestCut} vs within shots ${Math.max(...inShot)}`,
    );

    // The resampled 30 fps shot moves for 33 frames, then holds its last frame to 48.
    const still = (from: number, to: number) => diffs.slice(from, to).map((diff) => diff < 0.1);
    const moving = Math.round((41 / 30) * 24);
    assert.equal(moving, 33);
    assert.deepEqual(still(49, 48 + moving), Array(moving - 1).fill(false), "native frames all differ");
    assert.deepEqual(still(48 + moving, 96), Array(48 - moving).fill(true), "padding holds the last frame");
    assert.deepEqual(still(97, 116), Array(19).fill(false));
    assert.deepEqual(still(116, 120), Array(4).fill(true));
    // The long first shot kept its beginning (testsrc2 moves in every frame) and lost its tail.
    assert.deepEqual(still(1, 48), Array(47).fill(false));
  }

  it("joins shots in one run with hard cuts on exact frame boundaries, trims long shots and holds short ones", async () => {
    const outputPath = join(dir, "storyboard.mp4");
    await conformVideos({ ffmpegPath, inputs: storyboard(), ...output, outputPath });
    await checkStoryboard(outputPath);
  });

  it("gives the same cuts when each shot is conformed alone and the files are joined without re-encoding", async () => {
    const parts = [];
    for (const [index, input] of storyboard().entries()) {
      const part = join(dir, `part-${index}.mp4`);
      await conformVideos({ ffmpegPath, inputs: [input], ...output, outputPath: part });
      parts.push(part);
    }
    const outputPath = join(dir, "joined.mp4");
    assert.deepEqual(await joinVideos({ ffmpegPath, inputs: parts, outputPath }), { path: outputPath });
    await checkStoryboard(outputPath);
    const facts = await probeVideo(ffprobePath, outputPath);
    assert.deepEqual(
      [facts.codec, facts.profile, facts.pixFmt, facts.colorSpace, facts.colorTransfer],
      ["h264", "High", "yuv420p", "bt709", "bt709"],
    );
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.startsWith(".joined")),
      [],
      "no list or partial file left",
    );
  });

  it("crops to the aspect ratio around the centre, never stretching or letterboxing", async () => {
    const rgb = { ...SMALL, format: "rgb24" as const };
    const colourAt = (frame: Buffer, x: number, y: number) => {
      const i = (y * SMALL.width + x) * 3;
      const [r, g, b] = [frame[i]!, frame[i + 1]!, frame[i + 2]!];
      return r > 150 && g < 100 && b < 100
        ? "red"
        : g > 150 && r < 100 && b < 100
          ? "green"
          : b > 150 && r < 100 && g < 100
            ? "blue"
            : "other";
    };
    const wide = join(dir, "bands-wide.mp4");
    await conformVideos({
      ffmpegPath,
      inputs: [{ path: clips["bands"]!, frames: 24 }],
      width: 1920,
      height: 1080,
      fps: 24,
      outputPath: wide,
    });
    const [wideFrame] = await decodeFrames(ffmpegPath, wide, rgb);
    assert.deepEqual(
      [1, 32, 62].map((x) => colourAt(wideFrame!, x, 18)),
      ["red", "green", "blue"],
      "16:9 keeps all three bands edge to edge",
    );
    assert.equal(colourAt(wideFrame!, 32, 1), "green", "no letterbox bar at the top");

    const tall = join(dir, "bands-tall.mp4");
    await conformVideos({
      ffmpegPath,
      inputs: [{ path: clips["bands"]!, frames: 24 }],
      width: 1080,
      height: 1920,
      fps: 24,
      outputPath: tall,
    });
    const tallFrames = await decodeFrames(ffmpegPath, tall, rgb);
    for (const x of [1, 32, 62]) {
      for (const y of [1, 18, 34])
        assert.equal(colourAt(tallFrames[0]!, x, y), "green", `9:16 is the centre band (${x},${y})`);
    }
  });

  it("stops ffmpeg and leaves no file when aborted", async () => {
    const controller = new AbortController();
    const outputPath = join(dir, "aborted.mp4");
    const done = conformVideos({
      ffmpegPath,
      inputs: [{ path: clips["wan"]!, frames: 360 }],
      width: 1920,
      height: 1080,
      fps: 24,
      outputPath,
      signal: controller.signal,
      onProgress: (frames) => frames > 0 && controller.abort(),
    });
    await assert.rejects(done, EncodeAbortedError);
    const ffmpegs = (await childProcesses()).filter((child) => child.command.includes("ffmpeg"));
    assert.deepEqual(ffmpegs, [], "no ffmpeg left running");
    const left = (await readdir(dir)).filter((name) => name.includes("aborted"));
    assert.deepEqual(left, []);
  });

  it("reports what ffmpeg said about an unreadable clip", async () => {
    const broken = join(dir, "broken.mp4");
    await writeFile(broken, "not a video");
    const outputPath = join(dir, "from-broken.mp4");
    const error = await conformVideos({
      ffmpegPath,
      inputs: [{ path: broken, frames: 24 }],
      width: 1920,
      height: 1080,
      fps: 24,
      outputPath,
    }).catch((caught: unknown) => caught);
    assert.ok(error instanceof MediaToolError, String(error));
    assert.match(error.message, /broken\.mp4/);
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.includes("from-broken")),
      [],
    );
  });

  it("refuses a clip of no frames before running anything", async () => {
    await assert.rejects(
      conformVideos({
        ffmpegPath,
        inputs: [{ path: clips["wan"]!, frames: 0 }],
        width: 64,
        height: 64,
        fps: 24,
        outputPath: join(dir, "x.mp4"),
      }),
      RangeError,
    );
  });
});
