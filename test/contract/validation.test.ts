import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requestedSeconds } from "../../src/contract/input.ts";
import { validateInput, type ValidationDetail } from "../../src/contract/validation.ts";

const shots = (...durations: (string | number)[]) =>
  durations.map((d, i) => ({ prompt: `shot ${i}`, duration: d }));

function rejected(body: unknown): ValidationDetail[] {
  const result = validateInput(body);
  assert.equal(result.ok, false, `expected ${JSON.stringify(body).slice(0, 80)} to be rejected`);
  return result.ok ? [] : result.detail;
}

describe("input contract", () => {
  it("accepts {} with fal's defaults", () => {
    const result = validateInput({});
    assert.deepEqual(result, { ok: true, input: { aspect_ratio: "16:9", duration: "5" } });
  });

  it("reads null as absent, ignores unknown fields and canonicalises durations", () => {
    const result = validateInput({
      prompt: "a cat",
      multi_prompt: null,
      aspect_ratio: null,
      duration: 7,
      seed: 3,
    });
    assert.deepEqual(result, { ok: true, input: { prompt: "a cat", aspect_ratio: "16:9", duration: "7" } });
    for (const duration of ["5", 5, "5s", " 5 "]) {
      const parsed = validateInput({ duration });
      assert.ok(parsed.ok && parsed.input.duration === "5", `duration ${JSON.stringify(duration)}`);
    }
  });

  it("accepts a storyboard of up to 6 shots and 15 s, shot duration defaulting to 5", () => {
    const result = validateInput({
      multi_prompt: [{ prompt: "a" }, { prompt: "b", duration: 2 }, { prompt: "c", duration: "3s" }],
    });
    assert.ok(result.ok);
    assert.deepEqual(
      result.input.multi_prompt?.map((s) => s.duration),
      ["5", "2", "3"],
    );
    assert.equal(requestedSeconds(result.input), 10);
    assert.ok(validateInput({ multi_prompt: shots(3, 3, 3, 2, 2, 2) }).ok);
  });

  it("rejects prompt and multi_prompt together, naming multi_prompt", () => {
    const [entry] = rejected({ prompt: "a", multi_prompt: shots(5) });
    assert.deepEqual(entry?.loc, ["body", "multi_prompt"]);
    assert.equal(entry?.type, "value_error");
    assert.match(entry?.msg ?? "", /mutually exclusive/);
  });

  it("rejects 0 and 7 shots", () => {
    const [empty] = rejected({ multi_prompt: [] });
    assert.deepEqual(empty?.loc, ["body", "multi_prompt"]);
    assert.equal(empty?.type, "too_short");
    assert.match(empty?.msg ?? "", /at least 1 item/);
    const [seven] = rejected({ multi_prompt: shots(1, 1, 1, 1, 1, 1, 1) });
    assert.equal(seven?.type, "too_long");
    assert.match(seven?.msg ?? "", /at most 6 items after validation, not 7/);
  });

  it("rejects a storyboard of 16 s", () => {
    const [entry] = rejected({ multi_prompt: shots(5, 5, 6) });
    assert.deepEqual(entry?.loc, ["body", "multi_prompt"]);
    assert.match(entry?.msg ?? "", /16 s.*at most 15 s/);
  });

  it("names the shot and field of a bad shot duration and a missing shot prompt", () => {
    const detail = rejected({
      multi_prompt: [{ prompt: "a" }, { prompt: "b" }, { prompt: "c", duration: "16" }, { duration: "2" }],
    });
    assert.deepEqual(
      detail.map((d) => d.loc),
      [
        ["body", "multi_prompt", 2, "duration"],
        ["body", "multi_prompt", 3, "prompt"],
      ],
    );
    assert.equal(detail[0]?.type, "enum");
    assert.equal(detail[1]?.type, "missing");
    assert.equal(detail[1]?.msg, "Field required");
  });

  it("rejects bad enums with the allowed values in the message", () => {
    const detail = rejected({ aspect_ratio: "4:3", duration: "2" });
    assert.deepEqual(detail[0], {
      loc: ["body", "aspect_ratio"],
      msg: "Input should be '16:9', '9:16' or '1:1'",
      type: "enum",
      input: "4:3",
      ctx: { expected: "'16:9', '9:16' or '1:1'" },
    });
    assert.deepEqual(detail[1]?.loc, ["body", "duration"]);
    assert.match(detail[1]?.msg ?? "", /'3', '4'.*or '15'/);
    assert.deepEqual(rejected({ duration: 5.5 })[0]?.loc, ["body", "duration"]);
  });

  it("rejects an over-long prompt and accepts one at the limit", () => {
    const [entry] = rejected({ prompt: "x".repeat(3073) });
    assert.deepEqual(entry?.loc, ["body", "prompt"]);
    assert.equal(entry?.type, "string_too_long");
    assert.deepEqual(entry?.ctx, { max_length: 3072 });
    assert.ok(validateInput({ prompt: "x".repeat(3072) }).ok);
  });

  it("rejects a body that is not an object, and wrong field types", () => {
    for (const body of [[], "text", 3, true]) {
      const [entry] = rejected(body);
      assert.deepEqual(entry?.loc, ["body"]);
      assert.equal(entry?.type, "model_attributes_type");
    }
    assert.equal(rejected({ prompt: 5 })[0]?.type, "string_type");
    assert.equal(rejected({ multi_prompt: "a" })[0]?.type, "list_type");
  });
});
