import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { interpretPrompt } from "../../src/engines/previz/interpret.ts";
import { describeScenePlan } from "../../src/engines/previz/scene-plan.ts";

describe("interpretPrompt", () => {
  it("reads fal's example prompt: a moody, warm, smoky stage with a swaying player and a slow push-in", () => {
    const plan = interpretPrompt(
      "A jazz saxophonist sways gently into the note, cheeks pressing, sweat glistening, smoke drifting through the warm light. The camera eases in slowly. Photorealistic, soulful, moody.",
    );
    assert.deepEqual(plan, {
      setting: "stage",
      timeOfDay: "night",
      light: "warm",
      moody: true,
      atmosphere: ["smoke"],
      subject: { kind: "person", action: "sways" },
      camera: { move: "push-in", pace: "slow" },
      style: "photorealistic",
    });
  });

  it("recognises each setting, and falls back to countryside", () => {
    const cases: Array<[string, string]> = [
      ["rain on a city street", "city"],
      ["deep in a pine forest", "forest"],
      ["waves on the ocean", "beach"],
      ["dunes of the Sahara desert", "desert"],
      ["a singer on stage in a nightclub", "stage"],
      ["a quiet bedroom", "interior"],
      ["a spaceship drifting past a nebula", "space"],
      ["a red balloon", "countryside"],
    ];
    for (const [prompt, setting] of cases) assert.equal(interpretPrompt(prompt).setting, setting, prompt);
  });

  it("lets the earliest mention win when several settings are named", () => {
    assert.equal(interpretPrompt("a forest by the sea").setting, "forest");
    assert.equal(interpretPrompt("the sea beyond a forest").setting, "beach");
  });

  it("reads the time of day, defaulting to day outdoors and night on a stage", () => {
    assert.equal(interpretPrompt("a field at dawn").timeOfDay, "dawn");
    assert.equal(interpretPrompt("a field at noon").timeOfDay, "day");
    assert.equal(interpretPrompt("a field at dusk").timeOfDay, "sunset");
    assert.equal(interpretPrompt("a moonlit field").timeOfDay, "night");
    assert.equal(interpretPrompt("a field").timeOfDay, "day");
    assert.equal(interpretPrompt("a jazz club").timeOfDay, "night");
  });

  it("reads light, mood and style", () => {
    assert.equal(interpretPrompt("a street in neon light").light, "neon");
    assert.equal(interpretPrompt("an icy lake").light, "cold");
    assert.equal(interpretPrompt("a golden field").light, "warm");
    assert.equal(interpretPrompt("a field").light, "natural");
    assert.equal(interpretPrompt("a gloomy field").moody, true);
    assert.equal(interpretPrompt("a field").moody, false);
    assert.equal(interpretPrompt("a street, black-and-white").style, "noir");
    assert.equal(interpretPrompt("a street, film noir").style, "noir");
    assert.equal(interpretPrompt("a street").style, "photorealistic");
  });

  it("collects several atmospheres in a fixed order and honours negation", () => {
    assert.deepEqual(interpretPrompt("fog and smoke, then snow and rain").atmosphere, [
      "rain",
      "snow",
      "fog",
      "smoke",
    ]);
    assert.deepEqual(interpretPrompt("a city at night, no rain").atmosphere, []);
    assert.deepEqual(interpretPrompt("a city without any fog").atmosphere, []);
    assert.deepEqual(interpretPrompt("no wind but rain").atmosphere, ["rain"]);
  });

  it("finds a person and their action, or none", () => {
    assert.deepEqual(interpretPrompt("a woman walks home").subject, { kind: "person", action: "walks" });
    assert.deepEqual(interpretPrompt("a boy running").subject, { kind: "person", action: "runs" });
    assert.deepEqual(interpretPrompt("a dancer").subject, { kind: "person", action: "stands" });
    assert.deepEqual(interpretPrompt("an empty street, the man is gone").subject.kind, "none");
    assert.deepEqual(interpretPrompt("a beach with no people").subject.kind, "none");
    assert.deepEqual(interpretPrompt("a mountain lake").subject.kind, "none");
    assert.equal(
      interpretPrompt("the theme of the day").subject.kind,
      "none",
      "'he' inside words is not a person",
    );
  });

  it("reads camera moves, with the pace from the same sentence", () => {
    assert.deepEqual(interpretPrompt("The camera eases in slowly.").camera, {
      move: "push-in",
      pace: "slow",
    });
    assert.deepEqual(interpretPrompt("zoom in fast").camera, { move: "push-in", pace: "fast" });
    assert.deepEqual(interpretPrompt("The camera pulls back").camera, { move: "pull-back", pace: "normal" });
    assert.deepEqual(interpretPrompt("it pans to the left").camera, { move: "pan-left", pace: "normal" });
    assert.deepEqual(interpretPrompt("a quick pan right").camera.move, "pan-right");
    assert.deepEqual(interpretPrompt("She walks slowly. The camera pans right.").camera, {
      move: "pan-right",
      pace: "normal",
    });
    assert.deepEqual(interpretPrompt("a field").camera, { move: "static", pace: "normal" });
  });

  it("is deterministic", () => {
    const prompt = "A man walks in the rain at night, the camera pushes in, noir";
    assert.deepEqual(interpretPrompt(prompt), interpretPrompt(prompt));
  });
});

describe("describeScenePlan", () => {
  it("summarises a plan in one line with the shot's position", () => {
    const plan = interpretPrompt(
      "A man walks down a city street at night in the rain. The camera slowly pushes in. Noir.",
    );
    assert.equal(
      describeScenePlan(plan, { index: 1, count: 3 }),
      "shot 2/3: city, night, rain; subject: person walking; camera: slow push-in; style: noir",
    );
  });

  it("mentions light only when it is not natural, and a static camera plainly", () => {
    assert.equal(
      describeScenePlan(interpretPrompt("a warm, moody desert")),
      "desert, day; light: warm, moody; subject: none; camera: static; style: photorealistic",
    );
  });
});
