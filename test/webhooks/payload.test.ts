import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REQUEST_ERRORS } from "../../src/contract/request-errors.ts";
import type { RequestRecord } from "../../src/store/port.ts";
import { webhookBody, webhookPayload } from "../../src/webhooks/payload.ts";
import { METRICS, newRequest } from "../store/conformance/fixture.ts";

function finished(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    ...newRequest({
      id: "req-1",
      origin: "https://shotline.example.com",
      webhookUrl: "https://hooks.example/x",
    }),
    seq: 1,
    status: "COMPLETED",
    attempts: 1,
    leaseOwner: null,
    leaseExpiresAt: null,
    startedAt: 1,
    completedAt: 2,
    progress: null,
    result: null,
    error: null,
    metrics: null,
    filesExpireAt: null,
    filesDeletedAt: null,
    ...overrides,
  };
}

describe("webhook payload", () => {
  it("carries the result with absolute file URLs of the caller's origin, and error: null", () => {
    const result = { video: { url: "/files/req-1/output.mp4", file_name: "output.mp4" }, seed: 3 };
    const record = finished({ result, metrics: METRICS });
    assert.deepEqual(webhookPayload(record), {
      request_id: "req-1",
      gateway_request_id: "req-1",
      status: "OK",
      payload: {
        video: { url: "https://shotline.example.com/files/req-1/output.mp4", file_name: "output.mp4" },
        seed: 3,
      },
      error: null,
    });
    assert.deepEqual(JSON.parse(webhookBody(record)), webhookPayload(record));
  });

  it("on an error carries the result URL's error body and its status code", () => {
    const payload = webhookPayload(finished({ error: { ...REQUEST_ERRORS.cancelled } }));
    assert.deepEqual(payload, {
      request_id: "req-1",
      gateway_request_id: "req-1",
      status: "ERROR",
      payload: { detail: "Request was cancelled", error_type: "cancelled" },
      error: "Invalid status code: 400",
    });
    const detail = [{ loc: ["body", "prompt"], msg: "too long", type: "value_error" }];
    const invalid = webhookPayload(finished({ error: { ...REQUEST_ERRORS.input, detail } }));
    assert.deepEqual(invalid.payload, { detail, error_type: "invalid_input" });
    assert.equal(invalid.error, "Invalid status code: 422");
  });

  it("turns a payload that is not JSON into fal's payload_error", () => {
    const body = JSON.parse(webhookBody(finished({ result: { seed: 10n } }))) as Record<string, unknown>;
    assert.equal(body.status, "OK");
    assert.equal(body.payload, null);
    assert.match(String(body.payload_error), /not valid JSON/);
  });

  it("refuses a request that has not ended", () => {
    assert.throws(() => webhookPayload(finished({ status: "IN_PROGRESS" })), /has not ended/);
  });
});
