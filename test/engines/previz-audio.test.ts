import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import type { AspectRatio, VideoInput } from "../../src/contract/input.ts";
import { detectEspeak, withMouths } from "../../src/engines/previz/audio/index.ts";
import { createFrameRenderer } from "../../src/engines/previz/frames/frame-renderer.ts";
import { createPrevizEngine, type MouthTrack } from "../../src/engines/previz/index.ts";
import { makeStoryboard } from "../../src/engines/previz/storyboard.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";
import type { GenerationPlan } from "../../src/jobs/plan.ts";
import { isFastStart } from "../../src/media/mp4-boxes.ts";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { correlation, decodeAudio, levelOf, levels, peakOf, RATE, streamsOf } from "../media/audio.ts";
import { decodeFrames } from "../media/frames.ts";

const { ffmpegPath, ffprobePath } = defaultMediaTools();
/** Samples in one video frame at 24 fps. */
const FRAME = RATE / 24;
/** Keeps the voice band of decoded audio: room tone and rumble fall away. */
const VOICE_BAND = "highpass=f=250,highpass=f=250,lowpass=f=3500";
const espeakVersion = await detectEspeak("espeak-ng");
const NO_ESPEAK = espeakVersion === undefined && "espeak-ng is not installed (apt-get install espeak-ng)";

describe("previz sound track", () => {
  let root: string;
  let runs = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "shotline-previz-audio-"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const planOf = (input: Partial<VideoInput>): GenerationPlan =>
    makeGenerationPlan({ aspect_ratio: "16:9", duration: "3", ...input } as VideoInput);

  /** Engines by options, kept warm (each has its drawing thread); `onMouths` reports to `heard`. */
  const engines = new Map<string, ReturnType<typeof createPrevizEngine>>();
  let heard: MouthTrack[] = [];
  const engineFor = (speech: "auto" | "babble", audio: boolean) => {
    const key = `${speech}/${audio}`;
    let engine = engines.get(key);
    if (!engine) {
      engine = createPrevizEngine({ ffmpegPath, speech, audio, onMouths: (tracks) => (heard = tracks) });
      engines.set(key, engine);
    }
    return engine;
  };

  /** Renders a request; returns the file, the logs and the mouth tracks. */
  async function render(
    input: Partial<VideoInput>,
    options: { speech?: "auto" | "babble"; audio?: boolean } = {},
  ) {
    heard = [];
    const engine = engineFor(options.speech ?? "babble", options.audio ?? true);
    const workDir = await mkdtemp(join(root, `run-${runs++}-`));
    const logs: string[] = [];
    const plan = planOf(input);
    const { path } = await engine.generate(plan, {
      signal: new AbortController().signal,
      workDir,
      log: (line) => logs.push(line),
      progress: () => {},
    });
    assert.deepEqual(await readdir(workDir), ["output.mp4"], "nothing else is left behind");
    return { path, plan, logs, mouths: heard };
  }

  /** One AAC 48 kHz stereo stream as long as the video (within a frame), and the video unchanged. */
  async function assertSoundTrack(path: string, plan: GenerationPlan) {
    const streams = await streamsOf(ffprobePath, path);
    const audio = streams.filter((s) => s.codec_type === "audio");
    assert.equal(audio.length, 1, "exactly one audio stream");
    assert.equal(streams.filter((s) => s.codec_type === "video").length, 1);
    const facts = await probeVideo(ffprobePath, path, { countFrames: true });
    assert.deepEqual(
      [facts.audio?.codec, facts.audio?.sampleRate, facts.audio?.channels],
      ["aac", 48_000, 2],
    );
    assert.equal(facts.numFrames, plan.totalFrames, "every frame still there");
    assert.equal(facts.fps, 24);
    assert.equal(facts.codec, "h264");
    assert.equal(facts.pixFmt, "yuv420p");
    assert.ok(
      Math.abs((facts.audio?.duration ?? 0) - facts.duration) <= 1 / 24,
      `audio ${facts.audio?.duration} s, video ${facts.duration} s`,
    );
    assert.equal(await isFastStart(path), true);
    const decoded = await decodeAudio(ffmpegPath, path);
    assert.ok(Math.abs(decoded.left.length / RATE - plan.totalSeconds) <= 1 / 24);
    const peak = peakOf(decoded);
    assert.ok(peak < 1, `peak ${peak}: no sample clips`);
    return decoded;
  }

  for (const aspect of ["16:9", "9:16", "1:1"] as const satisfies readonly AspectRatio[]) {
    it(`muxes one AAC 48 kHz stereo track as long as the ${aspect} video`, async () => {
      const { path, plan } = await render({
        prompt: 'A woman walks in the rain at night. She says "we are late"',
        aspect_ratio: aspect,
      });
      await assertSoundTrack(path, plan);
    });
  }

  it("in a 3-shot storyboard: one track, sound changing on each cut's frame, speech only in its line's window", async () => {
    const { path, plan, mouths, logs } = await render({
      multi_prompt: [
        { prompt: "An empty city street in the rain", duration: "2" },
        {
          prompt: 'A man stands in a quiet room. He says "we are late, hurry"',
          duration: "4",
        },
        { prompt: "A stormy sea at night", duration: "2" },
      ],
    });
    const whole = await assertSoundTrack(path, plan);
    // The level per video frame: the sound changes on the first frame of each shot.
    const perFrame = levels(whole, FRAME);
    for (const shot of plan.shots.slice(1)) {
      const cut = shot.startFrame;
      // Six frames each side: the line starts later than that into its shot, and ends well before it.
      const before = perFrame.slice(cut - 7, cut - 1);
      const afterCut = perFrame.slice(cut + 1, cut + 7);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const [old, next] = [mean(before), mean(afterCut)];
      const close = (value: number, target: number) => Math.abs(Math.log(value / target));
      assert.ok(close(old, next) > Math.log(3), `shots ${shot.index} and ${shot.index + 1} sound different`);
      assert.ok(
        close(perFrame[cut - 1] ?? 0, old) < close(perFrame[cut - 1] ?? 0, next),
        `frame ${cut - 1} still sounds like shot ${shot.index}`,
      );
      assert.ok(
        close(perFrame[cut] ?? 0, next) < close(perFrame[cut] ?? 0, old),
        `frame ${cut} already sounds like shot ${shot.index + 1}`,
      );
    }
    // Speech: loud in the voice band while the line is said, silent before and after it in its shot.
    const [track] = mouths;
    const [line] = track?.lines ?? [];
    assert.ok(track && line, "the line is spoken");
    assert.equal(mouths.length, 1);
    assert.ok(
      logs.some((l) => l.startsWith('shot 2/3 lip sync: subject 1 (man) says "we are late, hurry"')),
      "the debug line is logged",
    );
    const shotStart = (plan.shots[1]?.startFrame ?? 0) / 24;
    const [from, to] = [shotStart + line.start, shotStart + line.end];
    assert.ok(
      line.start > 0.3 && line.end < 3,
      `the line sits inside its shot (${line.start}–${line.end} s)`,
    );
    const voice = await decodeAudio(ffmpegPath, path, { filter: VOICE_BAND });
    const windows = levels(voice, RATE / 20);
    const during = windows.filter((_, k) => k / 20 >= from && (k + 1) / 20 <= to);
    const around = windows.filter(
      (_, k) =>
        (k / 20 >= shotStart + 0.05 && (k + 1) / 20 <= from - 0.05) ||
        (k / 20 >= to + 0.08 && (k + 1) / 20 <= shotStart + 3.95),
    );
    const loudness = during.reduce((a, b) => a + b, 0) / during.length;
    assert.ok(around.length >= 8);
    assert.ok(
      Math.max(...around) < loudness / 20,
      `voice band ${Math.max(...around).toFixed(5)} outside the line vs ${loudness.toFixed(4)} during it`,
    );
    assert.ok(
      during.filter((w) => w > loudness / 20).length > 0.7 * during.length,
      "speech fills the window",
    );
  });

  it("adds broadband rain that a quiet interior lacks", async () => {
    const highs = async (prompt: string) =>
      levelOf(
        await decodeAudio(ffmpegPath, (await render({ prompt })).path, {
          filter: "highpass=f=3000,highpass=f=3000",
        }),
      );
    const rain = await highs("An empty field in the rain");
    const interior = await highs("A quiet empty room");
    const street = await highs("An empty city street at noon");
    const wetStreet = await highs("An empty city street at noon in the rain");
    assert.ok(
      rain > 100 * interior,
      `above 3 kHz: rain ${rain.toFixed(4)}, quiet interior ${interior.toFixed(6)}`,
    );
    assert.ok(
      wetStreet > 5 * street,
      `the same street: ${wetStreet.toFixed(4)} with rain, ${street.toFixed(4)} without`,
    );
  });

  it("moves the speaker's mouth with the voice (babble): openness follows loudness, shut in silence", async () => {
    const { path, plan, mouths } = await render({
      prompt:
        'A man and a woman stand in a snowfield at noon, static camera. The man says "hello there, my old friend, how are you today"',
      duration: "5",
    });
    assert.equal(mouths.length, 1, "only the speaker has a mouth track: the woman stays quiet");
    const [track] = mouths;
    assert.ok(track);
    assert.equal(track.subject, 0);
    assert.equal(track.openness.length, plan.totalFrames);
    const voice = levels(await decodeAudio(ffmpegPath, path, { filter: VOICE_BAND }), FRAME);
    const r = correlation(track.openness, voice);
    assert.ok(r >= 0.6, `openness ↔ loudness correlation ${r.toFixed(2)}`);
    const [line] = track.lines;
    assert.ok(line);
    track.openness.forEach((openness, frame) => {
      const seconds = frame / 24;
      if (seconds + 1 / 24 <= line.start || seconds >= line.end)
        assert.equal(openness, 0, `frame ${frame} is silent`);
    });
    assert.ok(Math.max(...track.openness) > 0.8, "the mouth opens wide on loud syllables");

    // In the picture: find the mouth by drawing one frame with it shut and wide open…
    const storyboard = makeStoryboard(plan);
    const draw = (openness: number) => {
      const renderer = createFrameRenderer(
        withMouths(storyboard, [{ ...track, openness: track.openness.map(() => openness) }]),
      );
      const frame = new Uint8Array(renderer.frameBytes);
      renderer.render(0, frame);
      return frame;
    };
    const [shut, open] = [draw(0), draw(1)];
    let box = { x0: Infinity, y0: Infinity, x1: -1, y1: -1 };
    for (let i = 0; i < shut.length; i += 4) {
      if (Math.abs((shut[i] ?? 0) - (open[i] ?? 0)) < 30) continue;
      const [x, y] = [(i / 4) % plan.width, Math.floor(i / 4 / plan.width)];
      box = {
        x0: Math.min(box.x0, x),
        y0: Math.min(box.y0, y),
        x1: Math.max(box.x1, x),
        y1: Math.max(box.y1, y),
      };
    }
    const [width, height] = [box.x1 - box.x0 + 1, box.y1 - box.y0 + 1];
    assert.ok(width > 4 && height > 4 && width < 60, `the mouth is ${width}×${height} px`);
    // …then watch that box in the decoded video: it changes while he speaks, and only then.
    const frames = await decodeFrames(ffmpegPath, path, {
      width,
      height,
      crop: { x: box.x0, y: box.y0, width, height },
    });
    const darkness = frames.map((frame) => 255 - frame.reduce((sum, v) => sum + v, 0) / frame.length);
    const darknessCorrelation = correlation(track.openness, darkness);
    assert.ok(
      darknessCorrelation > 0.8,
      `mouth darkness follows openness (r = ${darknessCorrelation.toFixed(2)})`,
    );
    const still = darkness.filter((_, f) => track.openness[f] === 0 && track.openness[f - 1] === 0 && f > 0);
    const stillChange = Math.max(...still.map((d, k) => Math.abs(d - (still[k - 1] ?? d))));
    const speaking = darkness.filter((_, f) => (track.openness[f] ?? 0) > 0);
    const spread = Math.max(...speaking) - Math.min(...speaking);
    assert.ok(
      stillChange < spread / 10,
      `shut mouth varies ${stillChange.toFixed(1)}, speaking ${spread.toFixed(1)}`,
    );
  });

  it(
    "speaks with espeak-ng when it is installed, lip synced, and says so in the log",
    { skip: NO_ESPEAK },
    async () => {
      const { path, mouths, logs } = await render(
        {
          prompt: 'A woman stands in a quiet room. She says "the train leaves at nine, we must hurry"',
          duration: "5",
        },
        { speech: "auto" },
      );
      assert.ok(
        logs.some((l) => /voice: espeak-ng \(eSpeak NG/.test(l)),
        "the log names the voice",
      );
      const [track] = mouths;
      assert.ok(track);
      const voice = levels(await decodeAudio(ffmpegPath, path, { filter: VOICE_BAND }), FRAME);
      const r = correlation(track.openness, voice);
      assert.ok(r >= 0.6, `openness ↔ loudness correlation ${r.toFixed(2)}`);
    },
  );

  it("gives identical samples for the same request", async () => {
    const input = { prompt: 'A stormy street at night, jazz music. A man shouts "TAXI!"' } as const;
    const hash = async (path: string) =>
      createHash("sha256")
        .update(Buffer.from((await decodeAudio(ffmpegPath, path)).left.buffer))
        .digest("hex");
    const first = await render(input, { speech: "auto" });
    const second = await render(input, { speech: "auto" });
    assert.equal(await hash(second.path), await hash(first.path));
  });

  it("leaves the video silent, and its frames unchanged, with sound turned off", async () => {
    const input = { prompt: "A city street at noon, the camera pans right", duration: "3" } as const;
    const silent = await render(input, { audio: false });
    const streams = await streamsOf(ffprobePath, silent.path);
    assert.deepEqual(
      streams.map((s) => s.codec_type),
      ["video"],
    );
    assert.ok(silent.logs[0]?.endsWith("silent"));
    const sound = await render(input);
    const frames = async (path: string) =>
      (await decodeFrames(ffmpegPath, path, { width: 192, height: 108 })).map((f) =>
        createHash("sha256").update(f).digest("hex"),
      );
    assert.deepEqual(await frames(sound.path), await frames(silent.path));
  });
});
