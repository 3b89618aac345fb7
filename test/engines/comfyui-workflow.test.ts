import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { createEngine } from "../../src/cli/engines.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { WorkflowError } from "../../src/engines/comfyui/errors.ts";
import {
  fillGraph,
  loadWorkflow,
  nativeShot,
  parseWorkflow,
  shotSeed,
  SHIPPED_WORKFLOWS,
  type Graph,
} from "../../src/engines/comfyui/workflow.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";

const values = {
  prompt: 'A "quoted" line,\nthen {braces} and a \\ backslash',
  negative_prompt: "blurry",
  width: 1280,
  height: 704,
  frames: 121,
  fps: 24,
  seed: 4_000_000_000,
};

const classTypes = (graph: Graph) => Object.values(graph).map((node) => node.class_type);

describe("comfyui workflows", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "shotline-workflow-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("ships Wan 2.2 TI2V-5B with its native nodes, size, rate and frame grid", () => {
    const wan = loadWorkflow("wan2.2-ti2v-5b");
    for (const node of ["UNETLoader", "CLIPLoader", "VAELoader", "Wan22ImageToVideoLatent", "KSampler"]) {
      assert.ok(classTypes(wan.graph).includes(node), node);
    }
    for (const node of ["VAEDecode", "CreateVideo", "SaveVideo"])
      assert.ok(classTypes(wan.graph).includes(node));
    assert.deepEqual(wan.settings.sizes["16:9"], [1280, 704]);
    assert.equal(wan.settings.fps, 24);
    assert.equal(wan.settings.frame_step, 4);
    assert.equal(wan.settings.max_frames, 121);
    assert.deepEqual(nativeShot(wan.settings, "16:9", 5, 24), {
      width: 1280,
      height: 704,
      fps: 24,
      frames: 121,
      heldFrames: 0,
    });
  });

  it("ships LTX-Video with its LTXV nodes at 1216×704, 30 fps, 8k + 1 frames", () => {
    const ltx = loadWorkflow("ltx-video");
    for (const node of [
      "EmptyLTXVLatentVideo",
      "LTXVConditioning",
      "LTXVScheduler",
      "SamplerCustom",
      "SaveVideo",
    ]) {
      assert.ok(classTypes(ltx.graph).includes(node), node);
    }
    assert.deepEqual(nativeShot(ltx.settings, "16:9", 5, 24), {
      width: 1216,
      height: 704,
      fps: 30,
      frames: 153, // 150 frames cover 5 s; the next count LTX-Video accepts is 153
      heldFrames: 0,
    });
    assert.deepEqual(nativeShot(ltx.settings, "9:16", 1, 24).frames, 33);
    assert.deepEqual(
      [nativeShot(ltx.settings, "9:16", 1, 24).width, nativeShot(ltx.settings, "9:16", 1, 24).height],
      [704, 1216],
    );
  });

  it("caps a long shot at the workflow's max_frames and says how many frames will hold", () => {
    const wan = loadWorkflow("wan2.2-ti2v-5b");
    assert.deepEqual(nativeShot(wan.settings, "16:9", 10, 24), {
      width: 1280,
      height: 704,
      fps: 24,
      frames: 121,
      heldFrames: 119,
    });
    assert.equal(nativeShot(wan.settings, "16:9", 3, 24).frames, 73);
    assert.equal(nativeShot(wan.settings, "16:9", 1, 24).frames, 25);
  });

  it("fills whole numeric placeholders as JSON numbers and text placeholders as text", () => {
    for (const name of SHIPPED_WORKFLOWS) {
      const { graph } = loadWorkflow(name);
      const filled = fillGraph(graph, values);
      const text = JSON.stringify(filled);
      assert.doesNotMatch(text, /\{\{/, `${name}: every placeholder filled`);
      const latent = Object.values(filled).find((node) => "length" in node.inputs)!;
      assert.equal(latent.inputs["width"], 1280);
      assert.equal(latent.inputs["height"], 704);
      assert.equal(latent.inputs["length"], 121);
      const texts = Object.values(filled)
        .filter((node) => node.class_type === "CLIPTextEncode")
        .map((node) => node.inputs["text"]);
      assert.deepEqual(texts, [values.prompt, "blurry"]);
      const seeds = Object.values(filled).map((node) => node.inputs["seed"] ?? node.inputs["noise_seed"]);
      assert.ok(seeds.includes(4_000_000_000), `${name}: seed is a number`);
      // Links are left alone.
      assert.deepEqual(JSON.parse(text), filled);
      assert.ok(
        Object.values(filled).some((node) => Object.values(node.inputs).some((v) => Array.isArray(v))),
      );
    }
    const embedded = parseWorkflow(
      JSON.stringify({
        "1": {
          class_type: "SaveVideo",
          inputs: { filename_prefix: "shot_{{seed}}_{{width}}", text: "{{ prompt }}" },
        },
      }),
      "inline",
    );
    assert.deepEqual(fillGraph(embedded.graph, values)["1"]!.inputs, {
      filename_prefix: "shot_4000000000_1280",
      text: values.prompt,
    });
    assert.equal(embedded.graph["1"]!.inputs["text"], "{{ prompt }}", "the template itself is not changed");
  });

  it("takes a bare API-format graph with default settings", () => {
    const bare = parseWorkflow(
      JSON.stringify({ "3": { class_type: "CLIPTextEncode", inputs: { text: "{{prompt}}" } } }),
      "bare.json",
    );
    assert.deepEqual(bare.settings.sizes, { "16:9": [1280, 704], "9:16": [704, 1280], "1:1": [960, 960] });
    assert.equal(bare.settings.frame_step, 1);
    assert.equal(nativeShot(bare.settings, "1:1", 2, 24).frames, 48);
  });

  for (const [title, content, pattern] of [
    ["not JSON", "{ nope", /not valid JSON/],
    ["the editor's format", JSON.stringify({ nodes: [], links: [] }), /Export \(API\)/],
    [
      "a node without class_type",
      JSON.stringify({ "1": { inputs: { text: "{{prompt}}" } } }),
      /node 1 is not in API format/,
    ],
    [
      "a link to a missing node",
      JSON.stringify({
        "1": { class_type: "CLIPTextEncode", inputs: { text: "{{prompt}}", clip: ["9", 0] } },
      }),
      /links to node 9, which is missing/,
    ],
    [
      "an unknown placeholder",
      JSON.stringify({ "1": { class_type: "CLIPTextEncode", inputs: { text: "{{prompt}} {{steps}}" } } }),
      /unknown placeholder\(s\) \{\{steps\}\}/,
    ],
    [
      "no {{prompt}}",
      JSON.stringify({ "1": { class_type: "CLIPTextEncode", inputs: { text: "fixed" } } }),
      /\{\{prompt\}\}/,
    ],
    [
      "bad settings",
      JSON.stringify({
        shotline: { fps: -1 },
        prompt: { "1": { class_type: "X", inputs: { text: "{{prompt}}" } } },
      }),
      /shotline\.fps/,
    ],
  ] as const) {
    it(`refuses a workflow file with ${title}, and the server would not start`, async () => {
      const file = join(dir, `${title.replaceAll(" ", "-")}.json`);
      await writeFile(file, content);
      assert.throws(
        () => loadWorkflow(file),
        (error: unknown) => error instanceof WorkflowError && pattern.test(error.message),
      );
      const config = loadConfig({ SHOTLINE_ENGINE: "comfyui", SHOTLINE_COMFYUI_WORKFLOW: file });
      assert.throws(
        () => createEngine("comfyui", config, defaultMediaTools()),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.startsWith(`SHOTLINE_COMFYUI_WORKFLOW=${file}:`) &&
          pattern.test(error.message),
      );
    });
  }

  it("names the shipped templates when a file does not exist", () => {
    assert.throws(
      () => loadWorkflow("wan2.2"),
      /no such workflow file \(shipped templates: wan2\.2-ti2v-5b, ltx-video\)/,
    );
  });

  it("derives a distinct, stable seed per shot from the request's seed", () => {
    const seeds = [0, 1, 2, 3, 4, 5].map((index) => shotSeed(123456789, index));
    assert.equal(new Set(seeds).size, 6);
    assert.deepEqual(
      seeds,
      [0, 1, 2, 3, 4, 5].map((index) => shotSeed(123456789, index)),
    );
    assert.notDeepEqual(
      seeds,
      [0, 1, 2, 3, 4, 5].map((index) => shotSeed(123456790, index)),
    );
    for (const seed of seeds) assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32);
  });
});
