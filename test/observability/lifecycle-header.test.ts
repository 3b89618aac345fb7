import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileGoneBody } from "../../src/server/file-gone.ts";
import { MAX_RETENTION_SECONDS, readLifecyclePreference } from "../../src/server/lifecycle-header.ts";

const DEFAULT = 604_800;
const LOC = ["header", "x-fal-object-lifecycle-preference"];

/** The one detail entry of a refused header. */
function refusal(header: string) {
  const result = readLifecyclePreference(header, DEFAULT);
  assert.equal(result.ok, false, `${header} should be refused`);
  assert.ok(!result.ok);
  assert.equal(result.detail.length, 1);
  const [entry] = result.detail;
  assert.ok(entry);
  assert.deepEqual(entry.loc, LOC);
  return entry;
}

describe("x-fal-object-lifecycle-preference", () => {
  it("uses the default when the header is absent or blank", () => {
    assert.deepEqual(readLifecyclePreference(undefined, DEFAULT), { ok: true, seconds: DEFAULT });
    assert.deepEqual(readLifecyclePreference("", DEFAULT), { ok: true, seconds: DEFAULT });
    assert.deepEqual(readLifecyclePreference("   ", 60), { ok: true, seconds: 60 });
  });

  it("reads the number of seconds", () => {
    assert.deepEqual(readLifecyclePreference('{"expiration_duration_seconds": 3600}', DEFAULT), {
      ok: true,
      seconds: 3600,
    });
    assert.deepEqual(readLifecyclePreference(' {"expiration_duration_seconds":1} ', DEFAULT), {
      ok: true,
      seconds: 1,
    });
    assert.deepEqual(
      readLifecyclePreference(`{"expiration_duration_seconds": ${MAX_RETENTION_SECONDS}}`, DEFAULT),
      { ok: true, seconds: MAX_RETENTION_SECONDS },
    );
  });

  it("refuses a header that is not JSON", () => {
    const entry = refusal("expiration_duration_seconds=3600");
    assert.equal(entry.type, "json_invalid");
    assert.match(entry.msg, /^JSON decode error/);
  });

  it("refuses JSON that is not an object", () => {
    for (const header of ["3600", "[3600]", "null", '"3600"']) {
      assert.equal(refusal(header).type, "model_attributes_type", header);
    }
  });

  it("refuses an object without the field", () => {
    const entry = refusal('{"expiration_seconds": 3600}');
    assert.equal(entry.type, "missing");
    assert.match(entry.msg, /expiration_duration_seconds/);
  });

  it("refuses a value that is not an integer", () => {
    for (const value of ['"3600"', "1.5", "null", "true", "{}"]) {
      const entry = refusal(`{"expiration_duration_seconds": ${value}}`);
      assert.equal(entry.type, "int_type", value);
      assert.match(entry.msg, /integer/);
    }
  });

  it("refuses zero and negative lifetimes", () => {
    for (const value of ["0", "-5"]) {
      const entry = refusal(`{"expiration_duration_seconds": ${value}}`);
      assert.equal(entry.type, "greater_than");
      assert.equal(entry.input, Number(value));
      assert.deepEqual(entry.ctx, { gt: 0 });
    }
  });

  it("refuses lifetimes too long to turn into an exact expiry time", () => {
    for (const value of [String(MAX_RETENTION_SECONDS + 1), "1e300"]) {
      const entry = refusal(`{"expiration_duration_seconds": ${value}}`);
      assert.equal(entry.type, "less_than_equal", value);
      assert.deepEqual(entry.ctx, { le: MAX_RETENTION_SECONDS });
    }
  });
});

describe("fileGoneBody", () => {
  it("says when the file expired and how long it was kept", () => {
    const expireAt = Date.UTC(2026, 0, 8, 10, 0, 0);
    assert.deepEqual(
      fileGoneBody({ filesExpireAt: expireAt, filesDeletedAt: expireAt + 42_000, retentionSeconds: 604_800 }),
      {
        detail:
          "This file expired on 2026-01-08T10:00:00.000Z and was deleted (kept 604800 s after completion)",
      },
    );
  });

  it("is undefined for files that were never deleted: a missing one of those is a 404", () => {
    assert.equal(
      fileGoneBody({ filesExpireAt: Date.now() + 1000, filesDeletedAt: null, retentionSeconds: 1 }),
      undefined,
    );
    assert.equal(fileGoneBody({ filesExpireAt: null, filesDeletedAt: null, retentionSeconds: 1 }), undefined);
  });

  it("falls back to the deletion time when the expiry is unknown", () => {
    const deletedAt = Date.UTC(2026, 1, 1);
    assert.match(
      fileGoneBody({ filesExpireAt: null, filesDeletedAt: deletedAt, retentionSeconds: 60 })?.detail ?? "",
      /expired on 2026-02-01T00:00:00\.000Z .*kept 60 s/,
    );
  });
});
