import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import type { LogLevel } from "../../src/contract/queue.ts";
import { createFalEngine } from "../../src/engines/fal/index.ts";
import { InputRejectedError, UnrecoverableError, type Engine } from "../../src/engines/port.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { startFalUpstream, type FalUpstream } from "../support/fal-upstream.ts";
import { waitFor } from "../support/server-process.ts";

/**
 * The fal engine against a local upstream that speaks fal's queue protocol (a second Shotline
 * process serving previz, behind a fault-injecting proxy): never the real fal service.
 */

const PLAN = makeGenerationPlan({
  prompt: "A lighthouse on a cliff at dusk, waves below, the camera pulls back",
  aspect_ratio: "16:9",
  duration: "3",
});

const REJECTION = {
  detail: [
    {
      loc: ["body", "prompt"],
      msg: "The prompt was flagged by the content checker",
      type: "content_policy_violation",
    },
  ],
};

interface Run {
  logs: { message: string; level: LogLevel }[];
  progress: number[];
  controller: AbortController;
  done: Promise<{ path: string }>;
}

describe("fal engine", () => {
  let upstream: FalUpstream;
  let engine: Engine;
  let workDir: string;
  const tools = defaultMediaTools();

  const generate = (engineToUse = engine): Run => {
    const run: Omit<Run, "done"> = { logs: [], progress: [], controller: new AbortController() };
    const done = engineToUse.generate(PLAN, {
      signal: run.controller.signal,
      log: (message, level = "INFO") => run.logs.push({ message, level }),
      progress: (fraction) => run.progress.push(fraction),
      workDir,
    });
    return { ...run, done };
  };

  /** The peer's own output file for a request it ran. */
  const peerFile = async (id: string) => {
    const { body } = await upstream.peerResult(id);
    const url = (body.video as { url: string }).url;
    return Buffer.from(await (await fetch(url)).arrayBuffer());
  };

  before(async () => {
    upstream = await startFalUpstream();
    engine = createFalEngine({
      key: upstream.key,
      queueUrl: upstream.queueUrl,
      ...tools,
      pollIntervalMs: 100,
      downloadBackoffMs: 100,
    });
  });
  after(async () => upstream.stop());
  beforeEach(async () => {
    upstream.reset();
    workDir = await mkdtemp(path.join(os.tmpdir(), "shotline-fal-engine-"));
  });
  afterEach(async () => rm(workDir, { recursive: true, force: true }));

  it("forwards the input with the operator's key, relays the upstream log and copies its MP4 byte for byte", async () => {
    const run = generate();
    const { path: file } = await run.done;
    assert.equal(upstream.submitted.length, 1);
    const [id = ""] = upstream.submitted;
    const peer = await upstream.peerStatus(id);
    assert.equal(peer.status, "COMPLETED");
    assert.equal(peer.error, undefined);
    assert.ok((await readFile(file)).equals(await peerFile(id)), "the copy differs from the upstream file");

    const messages = run.logs.map((l) => l.message);
    assert.ok(messages.some((m) => m.includes(`upstream request ${id}`)));
    // Every line the upstream logged is relayed, once.
    const upstreamLines = (peer.logs as { message: string }[]).map((l) => `upstream: ${l.message}`);
    for (const line of upstreamLines) {
      assert.equal(messages.filter((m) => m === line).length, 1, `${line} relayed once`);
    }
    assert.ok(upstreamLines.some((l) => /shot 1\/1: /.test(l)));
    // The peer reports progress (a Shotline extension): it is relayed before the download.
    assert.ok(run.progress.some((p) => p > 0 && p < 0.9));
    assert.equal(run.progress.at(-1), 1);
  });

  it("relays the upstream queue position, and passes a cancel upstream", async () => {
    // The peer renders one request at a time: a long one ahead keeps ours queued there.
    const blocker = await upstream.peerSubmit({ prompt: "a long blocking shot", duration: "15" });
    try {
      await waitFor(async () =>
        (await upstream.peerStatus(blocker)).status === "IN_PROGRESS" ? true : undefined,
      );
      const run = generate();
      await waitFor(async () =>
        run.logs.some((l) => /queued upstream, position 0/.test(l.message)) ? true : undefined,
      );
      run.controller.abort();
      await assert.rejects(run.done, { name: "AbortError" });

      const [id = ""] = upstream.submitted;
      const peer = await upstream.peerStatus(id);
      assert.equal(peer.status, "COMPLETED");
      assert.equal(peer.error_type, "cancelled");
      assert.deepEqual(
        upstream.calls.filter((c) => c.kind === "cancel").map((c) => c.outcome),
        [202],
      );
      assert.ok(run.logs.some((l) => /cancel passed upstream/.test(l.message)));
    } finally {
      await upstream.peerCancel(blocker);
      await upstream.peerCompleted(blocker);
    }
  });

  it("a cancel during a slow submit ends at once, and reaches the upstream request once it exists", async () => {
    upstream.inject({ on: "submit", times: 1, delayMs: 3000 });
    const run = generate();
    await waitFor(async () => (upstream.calls.some((c) => c.kind === "submit") ? true : undefined));
    run.controller.abort();
    await assert.rejects(run.done, { name: "AbortError" });
    assert.deepEqual(upstream.submitted, [], "ended before the upstream answered the submit");

    const id = await waitFor(async () => upstream.submitted[0]);
    const peer = await upstream.peerCompleted(id);
    assert.equal(peer.error_type, "cancelled");
  });

  it("ends with the upstream's 422 and its detail when the submit is refused", async () => {
    upstream.inject({ on: "submit", times: 1, respond: { status: 422, body: REJECTION } });
    const error = await generate().done.then(
      () => assert.fail("should have been rejected"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof InputRejectedError, String(error));
    assert.deepEqual(error.detail, REJECTION.detail);
    assert.match(error.message, /prompt: The prompt was flagged/);
    assert.deepEqual(upstream.submitted, []);
  });

  it("ends with the upstream's 422 and its detail when the result answers one", async () => {
    upstream.inject({ on: "result", times: 1, respond: { status: 422, body: REJECTION } });
    const error = await generate().done.then(
      () => assert.fail("should have been rejected"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof InputRejectedError, String(error));
    assert.deepEqual(error.detail, REJECTION.detail);
  });

  it("rides out 503s, 500s on status, dropped connections and a dropped download", async () => {
    upstream.inject({ on: "submit", times: 2, respond: { status: 503, body: { detail: "overloaded" } } });
    upstream.inject({ on: "status", times: 1, drop: true });
    upstream.inject({ on: "status", times: 1, respond: { status: 500, body: { detail: "hiccup" } } });
    upstream.inject({ on: "file", times: 1, drop: true });
    const { path: file } = await generate().done;

    assert.deepEqual(
      upstream.calls.filter((c) => c.kind === "submit").map((c) => c.outcome),
      [503, 503, 200],
    );
    assert.equal(upstream.submitted.length, 1, "a refused submit must not leave a request upstream");
    assert.deepEqual(
      upstream.calls.filter((c) => c.kind === "file").map((c) => c.outcome),
      ["dropped", 200],
    );
    const [id = ""] = upstream.submitted;
    assert.ok((await readFile(file)).equals(await peerFile(id)));
  });

  it("waits out a slow start upstream without losing or repeating a line", async () => {
    // A slow submit, then status answers that each take longer than the poll interval.
    upstream.inject({ on: "submit", times: 1, delayMs: 800 });
    upstream.inject({ on: "status", times: 4, delayMs: 600 });
    const run = generate();
    const { path: file } = await run.done;
    const [id = ""] = upstream.submitted;
    const peer = await upstream.peerStatus(id);
    const upstreamLines = (peer.logs as { message: string }[]).map((l) => `upstream: ${l.message}`);
    const relayed = run.logs.map((l) => l.message).filter((m) => m.startsWith("upstream: "));
    assert.deepEqual(relayed, upstreamLines);
    assert.ok((await readFile(file)).equals(await peerFile(id)));
  });

  it("leaves a 500 at submit to another attempt (a plain error), and a refused key ends the request", async () => {
    upstream.inject({ on: "submit", times: 1, respond: { status: 500, body: { detail: "boom" } } });
    const failed = await generate().done.then(
      () => assert.fail("should have failed"),
      (e: unknown) => e,
    );
    assert.ok(failed instanceof Error && !(failed instanceof UnrecoverableError), String(failed));
    assert.match(failed.message, /500.*boom/);

    const wrongKey = createFalEngine({ key: "nobody:nothing", queueUrl: upstream.queueUrl, ...tools });
    const refused = await generate(wrongKey).done.then(
      () => assert.fail("should have been refused"),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof UnrecoverableError, String(refused));
    assert.match(refused.message, /401.*SHOTLINE_FAL_KEY/);
  });
});
