import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { interpretPrompt } from "../../src/engines/previz/interpret/index.ts";
import { describeScenePlan } from "../../src/engines/previz/scene-plan.ts";
import type { ScenePlan } from "../../src/engines/previz/scene-plan.ts";

/** A prompt and the plan fields it must produce (fields not listed are not checked). */
type Expectation = [prompt: string, expected: DeepPartial<ScenePlan>];
type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

const TABLE: Expectation[] = [
  // Settings, with synonyms.
  ["rain on a city street", { setting: "city street", atmosphere: ["rain"] }],
  ["downtown skyscrapers at noon", { setting: "city street", timeOfDay: "noon" }],
  ["a neon-lit alley", { setting: "neon city", light: { color: "neon" } }],
  ["cyberpunk metropolis", { setting: "neon city", style: "cyberpunk" }],
  ["deep in a pine forest", { setting: "forest" }],
  ["a jungle clearing", { setting: "forest" }],
  ["waves on the ocean", { setting: "ocean" }],
  ["a quiet beach", { setting: "ocean" }],
  ["dunes of the Sahara", { setting: "desert" }],
  ["a canyon at sundown", { setting: "desert", timeOfDay: "sunset" }],
  ["alpine peaks", { setting: "mountains" }],
  ["a glacier in the Arctic", { setting: "snowfield" }],
  ["a snow-covered plain", { setting: "snowfield" }],
  ["a nebula in outer space", { setting: "space" }],
  ["a coral reef", { setting: "underwater" }],
  ["beneath the waves", { setting: "underwater" }],
  ["a jazz club", { setting: "stage", timeOfDay: "night" }],
  ["a concert hall", { setting: "stage" }],
  ["a quiet bedroom", { setting: "interior" }],
  ["a small coffee shop", { setting: "interior" }],
  ["rolling hills and a farm", { setting: "countryside" }],
  ["a misty lake", { setting: "lake", atmosphere: ["fog"] }],
  ["a river bend", { setting: "lake" }],
  ["above the clouds", { setting: "sky" }],
  ["a red balloon", { setting: "countryside", timeOfDay: "afternoon", subjects: [] }],
  // Earliest mention wins; weak places give way to strong ones; subjects imply a place.
  ["a forest by the sea", { setting: "forest" }],
  ["the sea beyond a forest", { setting: "ocean" }],
  ["a city under a stormy sky", { setting: "city street", atmosphere: ["storm"] }],
  [
    "an astronaut drifts",
    { setting: "space", subjects: [{ kind: "person", role: "astronaut", action: "floats" }] },
  ],
  // Time of day.
  ["a field at dawn", { timeOfDay: "dawn" }],
  ["a field in the early morning", { timeOfDay: "morning" }],
  ["a field at golden hour", { timeOfDay: "sunset" }],
  ["a field at twilight", { timeOfDay: "dusk" }],
  ["a moonlit field", { timeOfDay: "night" }],
  ["a field under a starry sky", { timeOfDay: "night", atmosphere: ["stars"] }],
  // Atmosphere, with negation.
  ["a city at night, no rain", { atmosphere: [] }],
  ["a city without any fog", { atmosphere: [] }],
  ["no wind but rain", { atmosphere: ["rain"] }],
  ["a blizzard in the mountains", { atmosphere: ["snow"] }],
  ["a dusty road with smoke", { atmosphere: ["smoke", "dust"] }],
  ["fireflies over a meadow", { atmosphere: ["fireflies"], timeOfDay: "dusk" }],
  ["thunder and lightning at sea", { atmosphere: ["storm"] }],
  ["a sandstorm in the desert", { atmosphere: ["dust"] }],
  // Light.
  ["a warm, golden kitchen", { light: { color: "warm", spotlight: false } }],
  ["an icy blue light", { light: { color: "cold" } }],
  ["a candlelit room", { light: { color: "candle" }, timeOfDay: "night" }],
  ["a singer in a spotlight", { light: { spotlight: true } }],
  ["a silhouette against the sunset", { light: { backlit: true } }],
  ["a gloomy, ominous street", { light: { moody: true } }],
  // Subjects and actions.
  ["a woman walks home", { subjects: [{ kind: "person", role: "woman", action: "walks", count: 1 }] }],
  ["a boy running", { subjects: [{ kind: "person", role: "child", action: "runs" }] }],
  ["two men stroll", { subjects: [{ kind: "person", role: "man", action: "walks", count: 2 }] }],
  ["a crowd dances", { subjects: [{ kind: "person", role: "person", action: "dances", count: 5 }] }],
  ["a saxophonist sways", { subjects: [{ kind: "person", role: "musician", action: "sways" }] }],
  [
    "a dog chases a car",
    {
      subjects: [
        { kind: "animal", animal: "dog", action: "runs" },
        { kind: "vehicle", vehicle: "car" },
      ],
    },
  ],
  ["a flock of birds", { subjects: [{ kind: "animal", animal: "bird", action: "flies", count: 5 }] }],
  ["a sailboat drifts", { subjects: [{ kind: "vehicle", vehicle: "boat", action: "sails" }] }],
  ["an empty street, the man is gone", { subjects: [] }],
  ["a beach with no people", { subjects: [] }],
  ["the theme of the day", { subjects: [] }],
  // Camera, handheld and pace.
  ["The camera eases in slowly.", { camera: { move: "push-in", handheld: false }, pace: "slow" }],
  ["a slow dolly in", { camera: { move: "push-in" }, pace: "slow" }],
  ["the camera pulls back to reveal the valley", { camera: { move: "pull-back" } }],
  ["it pans to the left", { camera: { move: "pan-left" } }],
  ["a quick pan right", { camera: { move: "pan-right" }, pace: "energetic" }],
  ["tilt up to the sky", { camera: { move: "tilt-up" } }],
  ["the camera tilts down", { camera: { move: "tilt-down" } }],
  ["the camera orbits around her", { camera: { move: "orbit" } }],
  ["a tracking shot following a cyclist", { camera: { move: "tracking" } }],
  ["aerial drone shot", { camera: { move: "aerial" } }],
  ["zoom in on the face", { camera: { move: "zoom-in" } }],
  ["zoom out", { camera: { move: "zoom-out" } }],
  ["shaky handheld footage", { camera: { move: "static", handheld: true } }],
  ["a static shot, locked off", { camera: { move: "static" } }],
  ["a frantic chase", { pace: "energetic" }],
  // Style.
  ["a street, black-and-white", { style: "noir" }],
  ["film noir detective", { style: "noir" }],
  ["grainy 8mm home movie", { style: "vintage" }],
  ["anime style", { style: "anime" }],
  ["a watercolour painting", { style: "watercolor" }],
  ["soft pastel colours", { style: "pastel" }],
  ["photorealistic, black and white", { style: "noir" }],
  ["a street", { style: "photorealistic" }],
];

/** Checks only the fields the expectation names, reporting the prompt on failure. */
function assertFields(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} should be a list`);
    assert.equal(actual.length, expected.length, `${path} length`);
    expected.forEach((item, i) => assertFields(actual[i], item, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    for (const [key, value] of Object.entries(expected)) {
      assertFields((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    assert.equal(actual, expected, path);
  }
}

describe("interpretPrompt", () => {
  it(`reads a table of ${TABLE.length} prompts into the expected plan fields`, () => {
    assert.ok(TABLE.length >= 40);
    for (const [prompt, expected] of TABLE)
      assertFields(interpretPrompt(prompt), expected, JSON.stringify(prompt));
  });

  it("reads fal's example prompt: a moody, warm, smoky stage with a swaying player and a slow push-in", () => {
    const plan = interpretPrompt(
      "A jazz saxophonist sways gently into the note, cheeks pressing, sweat glistening, smoke drifting through the warm light. The camera eases in slowly. Photorealistic, soulful, moody.",
    );
    assert.deepEqual(plan, {
      setting: "stage",
      timeOfDay: "night",
      atmosphere: ["smoke"],
      light: { color: "warm", spotlight: false, backlit: false, moody: true },
      subjects: [{ kind: "person", role: "musician", action: "sways", count: 1 }],
      camera: { move: "push-in", handheld: false },
      pace: "slow",
      style: "photorealistic",
      dialogue: [],
      music: "jazz",
    });
  });

  it("turns an empty or unknown prompt into a valid default scene", () => {
    for (const prompt of ["", "   ", "qwerty zxcv"]) {
      const plan = interpretPrompt(prompt);
      assert.equal(plan.setting, "countryside");
      assert.equal(plan.camera.move, "static");
      assert.equal(plan.style, "photorealistic");
      assert.deepEqual(plan.subjects, []);
    }
  });

  it("is deterministic", () => {
    const prompt = "A man walks in the rain at night, the camera pushes in, noir";
    assert.deepEqual(interpretPrompt(prompt), interpretPrompt(prompt));
  });
});

describe("dialogue", () => {
  const lines = (prompt: string) => interpretPrompt(prompt).dialogue;

  it("speaks quoted text by the shot's subject, with its voice and delivery", () => {
    assert.deepEqual(lines('She whispers "we\'re late"'), [
      { text: "we're late", language: "en", speaker: 0, voice: "woman", delivery: "whisper" },
    ]);
    const [line] = lines("A man stands by the sea. He shouts “Come back!”");
    assert.equal(line?.speaker, 0);
    assert.equal(line?.voice, "man");
    assert.equal(line?.delivery, "shout");
    assert.equal(lines('A boy says "look"')[0]?.voice, "child");
    assert.equal(lines('A robot beside a woman says "hello human"')[0]?.voice, "robot");
    assert.equal(lines('A girl shouts "RUN"')[0]?.delivery, "shout");
  });

  it("finds who speaks each line: the subject named before it, or after it, in its sentence", () => {
    const plan = interpretPrompt(
      'A woman and a man sit in a café. "It is late," he says. She answers "I know".',
    );
    assert.deepEqual(
      plan.subjects.map((s) => (s.kind === "person" ? s.role : s.kind)),
      ["woman", "man"],
    );
    assert.deepEqual(
      plan.dialogue.map((line) => [line.text, line.speaker, line.voice]),
      [
        ["It is late,", 1, "man"],
        ["I know", 0, "woman"],
      ],
    );
  });

  it("gives a line no one on screen says to a voice off screen", () => {
    const [line] = lines('A beach at dawn. "Long ago…"');
    assert.equal(line?.speaker, null);
    assert.match(
      describeScenePlan(interpretPrompt('A beach at dawn. "Long ago"')),
      /dialogue: man off screen \(en\): "Long ago"/,
    );
  });

  it("reads the language from the script and the words", () => {
    const languages = [
      'A woman says "we are late for the train"',
      'A woman says "¿Dónde estás? Llegamos tarde."',
      'A woman says "vamos a la playa"',
      'A woman says "我们迟到了"',
      "A woman says 「こんにちは、元気ですか」",
      'A woman says "늦었어요"',
    ].map((prompt) => lines(prompt)[0]?.language);
    assert.deepEqual(languages, ["en", "es", "es", "cmn", "ja", "ko"]);
  });

  it("keeps the words of a line out of the scene", () => {
    const plan = interpretPrompt('A man in a quiet room says "it is raining on the beach, the dog runs"');
    assert.equal(plan.setting, "interior");
    assert.deepEqual(plan.atmosphere, []);
    assert.deepEqual(
      plan.subjects.map((s) => s.kind),
      ["person"],
    );
    assert.equal(plan.dialogue.length, 1);
  });

  it("shows each line in the plan's log line", () => {
    assert.equal(
      describeScenePlan(interpretPrompt('A woman stands in a room. She whispers "we\'re late"')),
      'interior, afternoon; subject: woman standing; camera: static; style: photorealistic; dialogue: woman (en, whisper): "we\'re late"',
    );
  });
});

describe("music", () => {
  it("hears the music a prompt asks for, by kind, and none otherwise", () => {
    const music = (prompt: string) => interpretPrompt(prompt).music;
    assert.equal(music("a jazz club"), "jazz");
    assert.equal(music("a saxophonist on a street corner"), "jazz");
    assert.equal(music("an epic orchestral score over the mountains"), "orchestral");
    assert.equal(music("a rave with electronic music"), "electronic");
    assert.equal(music("a pianist in a quiet room"), "piano");
    assert.equal(music("a field with soft music"), "ambient");
    assert.equal(music("a field at noon"), null);
    assert.equal(music("a silent room, no music"), null);
    assert.match(describeScenePlan(interpretPrompt("a jazz club")), /; music: jazz$/);
  });
});

describe("describeScenePlan", () => {
  it("summarises a plan in one line with the shot's position", () => {
    const plan = interpretPrompt(
      "A woman walks down a neon-lit street at night in the rain. The camera slowly pushes in. Noir.",
    );
    assert.equal(
      describeScenePlan(plan, { index: 1, count: 3 }),
      "shot 2/3: neon city, night, rain; light: neon; subject: woman walking; camera: slow push-in; style: noir",
    );
  });

  it("names groups, handheld cameras and lights, and a still camera plainly", () => {
    assert.equal(
      describeScenePlan(interpretPrompt("two dogs run on a warm, moody beach, handheld")),
      "ocean, afternoon; light: warm, moody; subject: 2 dogs running; camera: handheld; style: photorealistic",
    );
    assert.equal(
      describeScenePlan(interpretPrompt("a desert")),
      "desert, afternoon; subject: none; camera: static; style: photorealistic",
    );
  });
});
