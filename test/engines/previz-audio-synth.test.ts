import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { VideoInput } from "../../src/contract/input.ts";
import { bedsOf, composeSoundtrack, detectEspeak } from "../../src/engines/previz/audio/index.ts";
import { CEILING, limit } from "../../src/engines/previz/audio/mixer.ts";
import { mouthOpenness } from "../../src/engines/previz/audio/mouth.ts";
import { babble } from "../../src/engines/previz/audio/voice/babble.ts";
import { espeakArgs, speakWithEspeak } from "../../src/engines/previz/audio/voice/espeak.ts";
import { createFrameRenderer } from "../../src/engines/previz/frames/frame-renderer.ts";
import { interpretPrompt } from "../../src/engines/previz/interpret/index.ts";
import { lightningStrikes } from "../../src/engines/previz/lightning.ts";
import { makeStoryboard } from "../../src/engines/previz/storyboard.ts";
import type { Language, Voice } from "../../src/engines/previz/scene-plan.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";
import { correlation, levels, RATE } from "../media/audio.ts";

/** The sound track alone, synthesised from a request (no frames, no ffmpeg). */
async function soundtrackOf(input: Partial<VideoInput>, speech: "babble" | "espeak-ng" = "babble") {
  const plan = makeGenerationPlan({ aspect_ratio: "16:9", duration: "3", ...input } as VideoInput);
  const source =
    speech === "babble"
      ? ({ kind: "babble" } as const)
      : ({ kind: "espeak-ng", command: "espeak-ng", version: "test" } as const);
  const soundtrack = await composeSoundtrack(makeStoryboard(plan), {
    speech: source,
    signal: new AbortController().signal,
  });
  const { samples } = soundtrack;
  const left = samples.filter((_, i) => i % 2 === 0);
  const right = samples.filter((_, i) => i % 2 === 1);
  return { ...soundtrack, plan, audio: { left, right } };
}

const espeakVersion = await detectEspeak("espeak-ng");
const NO_ESPEAK = espeakVersion === undefined && "espeak-ng is not installed (apt-get install espeak-ng)";

/** Fundamental frequency of a voiced stretch by autocorrelation, searched between 60 and 500 Hz. */
function pitchOf(samples: Float32Array): number {
  let best = { lag: 0, score: -Infinity };
  for (let lag = Math.floor(RATE / 500); lag <= Math.ceil(RATE / 60); lag++) {
    let score = 0;
    for (let i = 0; i + lag < samples.length; i++) score += (samples[i] ?? 0) * (samples[i + lag] ?? 0);
    if (score > best.score) best = { lag, score };
  }
  return RATE / best.lag;
}

/** The loudest 100 ms of a signal: a stretch of voice. */
function loudestStretch(samples: Float32Array): Float32Array {
  const size = RATE / 10;
  let best = { at: 0, energy: -1 };
  for (let at = 0; at + size <= samples.length; at += size / 4) {
    let energy = 0;
    for (let i = at; i < at + size; i++) energy += (samples[i] ?? 0) ** 2;
    if (energy > best.energy) best = { at, energy };
  }
  return samples.subarray(best.at, best.at + size);
}

describe("previz sound track synthesis", () => {
  it("is exactly as long as the video, identical for the same request and different for another", async () => {
    const input = { prompt: 'A man in the rain says "hold the door"', duration: "5" } as const;
    const first = await soundtrackOf(input);
    const again = await soundtrackOf(input);
    assert.equal(first.samples.length, first.plan.totalFrames * 2000 * 2);
    assert.deepEqual(again.samples, first.samples, "same request, same samples");
    const other = await soundtrackOf({ ...input, prompt: 'A man in the rain says "open the door"' });
    assert.notDeepEqual(other.samples, first.samples);
  });

  it("keeps every sample under −3 dBFS, even for a storm, a shout and music together", async () => {
    const { samples } = await soundtrackOf({
      prompt: 'A stormy sea at night with epic orchestral music. A man shouts "HOLD ON, EVERYONE, HOLD ON"',
      duration: "10",
    });
    let peak = 0;
    for (const value of samples) peak = Math.max(peak, Math.abs(value));
    assert.ok(peak <= CEILING, `peak ${peak}`);
    assert.ok(peak > 0.3, "and it is not quiet: the limiter worked, not a low level");
  });

  it("limits only what would pass the ceiling", () => {
    const samples = new Float32Array(2 * RATE);
    for (let n = 0; n < RATE; n++) {
      const value = (n > RATE / 2 ? 1.6 : 0.2) * Math.sin((2 * Math.PI * 220 * n) / RATE);
      samples[2 * n] = value;
      samples[2 * n + 1] = value;
    }
    limit(samples, CEILING);
    let peak = 0;
    for (const value of samples) peak = Math.max(peak, Math.abs(value));
    assert.ok(peak <= CEILING);
    // A quiet stretch well before the loud one is untouched.
    assert.ok(Math.abs((samples[2 * 1000] ?? 0) - 0.2 * Math.sin((2 * Math.PI * 220 * 1000) / RATE)) < 1e-6);
  });

  it("chooses ambient beds from the scene plan", () => {
    const beds = (prompt: string) => bedsOf(interpretPrompt(prompt)).map((bed) => bed.name);
    assert.deepEqual(beds("a city street in the rain"), ["traffic", "rain"]);
    assert.deepEqual(beds("a windy desert"), ["wind"]);
    assert.deepEqual(beds("waves on a beach"), ["sea"]);
    assert.deepEqual(beds("a forest at noon"), ["birds"]);
    assert.deepEqual(beds("a forest at night"), ["crickets"]);
    assert.deepEqual(beds("a crowd in a village square"), ["birds", "crowd"]);
    assert.deepEqual(beds("a spaceship in outer space"), ["space hum"]);
    assert.deepEqual(beds("a jazz club"), ["club room tone", "crowd"]);
    assert.deepEqual(beds("a stormy sea"), ["sea", "rain", "wind", "thunder"]);
    assert.deepEqual(beds("a quiet room"), ["room tone"]);
    assert.deepEqual(beds("a coral reef"), ["underwater"]);
  });

  it("thunders on the very frames the lightning flashes", async () => {
    // Indoors the storm's rain is muffled, so the thunder stands out.
    const prompt = "A quiet room at dusk, a storm outside, lightning";
    const { audio, plan } = await soundtrackOf({ prompt, duration: "10" });
    const storyboard = makeStoryboard(plan);
    const shot = storyboard.shots[0];
    assert.ok(shot);
    const strikes = lightningStrikes(shot.scene, shot.seed).filter((s) => s.at < shot.seconds - 0.5);
    assert.ok(strikes.length >= 2);
    // Pictures: the frame of each flash is much brighter than the frame before it.
    const renderer = createFrameRenderer({ ...storyboard, width: 160, height: 90 });
    const brightness = (index: number) => {
      const frame = new Uint8Array(renderer.frameBytes);
      renderer.render(index, frame);
      return frame.reduce((sum, value) => sum + value, 0) / frame.length;
    };
    const perFrame = levels(audio, 2000);
    for (const strike of strikes) {
      const frame = Math.ceil(strike.at * 24);
      assert.ok(brightness(frame) > brightness(frame - 2) * 1.2, `flash on frame ${frame}`);
      // Sound: the crack makes that frame (or, if it falls late in it, the next) much louder.
      const jump = Math.max(perFrame[frame - 1] ?? 0, perFrame[frame] ?? 0) / (perFrame[frame - 3] ?? 1);
      assert.ok(jump > 3, `thunder at ${strike.at.toFixed(2)} s raises the level ×${jump.toFixed(1)}`);
    }
  });

  it("adds a music bed when the prompt asks for one", async () => {
    const quiet = await soundtrackOf({ prompt: "A quiet room" });
    const music = await soundtrackOf({ prompt: "A quiet room, soft piano music" });
    const level = (audio: { left: Float32Array; right: Float32Array }) =>
      levels(audio, audio.left.length)[0] ?? 0;
    assert.ok(level(music.audio) > 10 * level(quiet.audio), "music is heard over the room tone");
    const slow = await soundtrackOf({ prompt: "A quiet room, slow jazz" });
    const fast = await soundtrackOf({ prompt: "A quiet room, energetic jazz" });
    assert.notDeepEqual(slow.samples, fast.samples, "the pace changes the music");
  });

  it("crossfades each cut over a few milliseconds: no click", async () => {
    const { samples, plan } = await soundtrackOf({
      multi_prompt: [
        { prompt: "A spaceship drifts in outer space", duration: "2" },
        { prompt: "A quiet room", duration: "2" },
      ],
    });
    const cut = (plan.shots[1]?.startFrame ?? 0) * 2000;
    const step = (n: number) => Math.abs((samples[2 * n] ?? 0) - (samples[2 * n - 2] ?? 0));
    let nearCut = 0;
    for (let n = cut - 240; n < cut + 480; n++) nearCut = Math.max(nearCut, step(n));
    let elsewhere = 0;
    for (let n = 1000; n < cut - 2400; n++) elsewhere = Math.max(elsewhere, step(n));
    assert.ok(nearCut <= 1.5 * elsewhere, `step at the cut ${nearCut} vs ${elsewhere} within the shot`);
  });
});

describe("speech fallback", () => {
  it("has the babble voice say a line espeak-ng could not, and says so", async () => {
    const plan = makeGenerationPlan({
      prompt: 'A man in a quiet room says "where were you"',
      aspect_ratio: "16:9",
      duration: "3",
    });
    const storyboard = makeStoryboard(plan);
    const warnings: string[] = [];
    const broken = await composeSoundtrack(storyboard, {
      speech: { kind: "espeak-ng", command: "/nonexistent/espeak-ng", version: "none" },
      signal: new AbortController().signal,
      warn: (message) => warnings.push(message),
    });
    const babbled = await composeSoundtrack(storyboard, {
      speech: { kind: "babble" },
      signal: new AbortController().signal,
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? "", /espeak-ng could not say "where were you".*babble voice says it/);
    assert.deepEqual(broken.samples, babbled.samples);
  });
});

describe("babble voice", () => {
  const say = (text: string, voice: Voice = "man", language: Language = "en") =>
    babble(text, { voice, language, delivery: "normal", rate: 1, seed: 3 });

  it("speaks at the speaker's pitch: man, woman, child; a robot in a monotone", () => {
    const pitches = (["man", "woman", "child"] as const).map((voice) =>
      pitchOf(loudestStretch(say("hello there my friend", voice))),
    );
    const [man = 0, woman = 0, child = 0] = pitches;
    assert.ok(man > 85 && man < 150, `man ${man.toFixed(0)} Hz`);
    assert.ok(woman > 1.5 * man && woman < 300, `woman ${woman.toFixed(0)} Hz`);
    assert.ok(child > 1.2 * woman, `child ${child.toFixed(0)} Hz`);
  });

  it("times syllables from the text, in any script", () => {
    const seconds = (text: string, language: Language) => say(text, "man", language).length / RATE;
    assert.ok(seconds("we're late", "en") < seconds("we are very late for the evening train", "en") / 2);
    assert.ok(seconds("我们迟到了", "cmn") > 4 * 0.15, "five Han characters, five syllables");
    assert.ok(seconds("늦었어요", "ko") > 3 * 0.12);
    assert.ok(seconds("こんにちは", "ja") > 3 * 0.1);
    // Syllables are bursts: the envelope rises and falls once per syllable or so.
    const envelope = mouthOpenness(say("one two three four five six"), 60, 800);
    let bursts = 0;
    for (let k = 1; k < envelope.length; k++)
      if ((envelope[k - 1] ?? 0) === 0 && (envelope[k] ?? 0) > 0) bursts++;
    const peaks = envelope.filter(
      (v, k) => v > 0.5 && v >= (envelope[k - 1] ?? 0) && v > (envelope[k + 1] ?? 0),
    );
    assert.ok(peaks.length >= 4 && peaks.length <= 9, `${peaks.length} loud syllables for six words`);
    assert.ok(bursts >= 1);
  });

  it("is deterministic", () => {
    assert.deepEqual(say("same words"), say("same words"));
  });
});

describe("espeak-ng voice", { skip: NO_ESPEAK }, () => {
  const line = (text: string, language: Language) =>
    ({ text, language, voice: "woman", delivery: "normal" }) as const;

  it("speaks English, Mandarin, Japanese, Korean and Spanish with the language's voice", async () => {
    const lines = [
      line("we are late", "en"),
      line("我们迟到了", "cmn"),
      line("遅れています", "ja"),
      line("늦었어요", "ko"),
      line("llegamos tarde", "es"),
    ];
    const signal = new AbortController().signal;
    const voices = lines.map((l) => espeakArgs(l, 1)[espeakArgs(l, 1).indexOf("-v") + 1]);
    assert.deepEqual(voices, ["en+f3", "cmn+f3", "ja+f3", "ko+f3", "es+f3"]);
    for (const l of lines) {
      const samples = await speakWithEspeak("espeak-ng", l, 1, signal);
      assert.ok(samples.length > 0.3 * RATE, `${l.language}: ${samples.length} samples`);
      const again = await speakWithEspeak("espeak-ng", l, 1, signal);
      assert.deepEqual(again, samples, `${l.language}: the same line gives the same samples`);
    }
  });

  it("gives the whole sound track the same samples for the same request", async () => {
    const input = { prompt: 'A woman in a quiet room whispers "we\'re late"' } as const;
    const first = await soundtrackOf(input, "espeak-ng");
    const again = await soundtrackOf(input, "espeak-ng");
    assert.deepEqual(again.samples, first.samples);
    const babbled = await soundtrackOf(input);
    assert.notDeepEqual(babbled.samples, first.samples, "espeak-ng, not the babble voice, spoke");
    const [track] = first.mouths;
    assert.ok(track && track.lines.length === 1);
    const perFrame = levels(first.audio, 2000);
    assert.ok(correlation(track.openness, perFrame) >= 0.6);
  });
});
