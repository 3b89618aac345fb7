import assert from "node:assert/strict";
import { it } from "node:test";
import { ApiError, ValidationError } from "@fal-ai/client";
import { describeError, EXIT, exitCodeOf, RequestFailedError } from "../../src/cli/client/exit-codes.ts";
import { UsageError } from "../../src/cli/usage-error.ts";

const apiError = (status: number, body: unknown) =>
  new (status === 422 ? ValidationError : ApiError)({ message: "x", status, body });

it("maps each kind of failure to its own exit code", () => {
  const cases: [unknown, number][] = [
    [new UsageError("--aspect: bad"), EXIT.usage],
    [apiError(422, { detail: [] }), EXIT.usage],
    [apiError(401, { detail: "No user found for Key ID and Secret" }), EXIT.auth],
    [apiError(403, { detail: "Forbidden" }), EXIT.auth],
    [apiError(402, { detail: "Budget exceeded" }), EXIT.payment],
    [new RequestFailedError("id", "engine_error", "The engine failed"), EXIT.requestFailed],
    [apiError(500, { detail: "Internal Server Error" }), EXIT.failure],
    [apiError(404, { status: "NOT_FOUND" }), EXIT.failure],
    [
      new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8000") }),
      EXIT.failure,
    ],
  ];
  for (const [error, code] of cases) assert.equal(exitCodeOf(error), code, String(error));
  assert.deepEqual(
    [EXIT.ok, EXIT.failure, EXIT.usage, EXIT.auth, EXIT.payment, EXIT.requestFailed, EXIT.interrupted],
    [0, 1, 2, 3, 4, 5, 130],
  );
});

it("says what the server said, naming each field of a 422", () => {
  const refused = apiError(422, {
    detail: [
      { loc: ["body", "multi_prompt", 1, "duration"], msg: "Input should be '1', … or '15'", type: "enum" },
      { loc: ["body", "aspect_ratio"], msg: "Input should be '16:9', '9:16' or '1:1'", type: "enum" },
    ],
  });
  assert.equal(
    describeError(refused),
    "the server answered 422: multi_prompt.1.duration: Input should be '1', … or '15'; aspect_ratio: Input should be '16:9', '9:16' or '1:1'",
  );
  assert.match(
    describeError(apiError(402, { detail: "Budget exceeded: $0.1 left" })),
    /402: Budget exceeded/,
  );
  assert.match(describeError(apiError(404, { status: "NOT_FOUND" })), /404: NOT_FOUND \(unknown here/);
  assert.equal(
    describeError(new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND gpu-box") })),
    'cannot reach the server (getaddrinfo ENOTFOUND gpu-box): check --url, SHOTLINE_URL or "url" in the config file',
  );
});
