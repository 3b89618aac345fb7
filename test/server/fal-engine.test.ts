import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { startFalUpstream, type FalUpstream } from "../support/fal-upstream.ts";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitCompleted,
  waitFor,
  type ServerProcess,
} from "../support/server-process.ts";

/**
 * A Shotline server with `SHOTLINE_ENGINE=fal`, end to end over HTTP, calling a local upstream
 * that speaks fal's queue protocol (a second Shotline serving previz behind a fault-injecting
 * proxy). The real fal service is never reached.
 */
describe("SHOTLINE_ENGINE=fal", () => {
  let upstream: FalUpstream;
  let shotline: ServerProcess;

  const submit = async (input: unknown) => {
    const { response, body } = await postJson(`${shotline.url}/queue/${ENDPOINT}`, input);
    assert.equal(response.status, 200, JSON.stringify(body));
    return body as { request_id: string; status_url: string; response_url: string; cancel_url: string };
  };
  const messagesOf = (status: Record<string, unknown>) =>
    ((status.logs ?? []) as { message: string }[]).map((l) => l.message);

  before(async () => {
    upstream = await startFalUpstream();
    shotline = await startServer({
      SHOTLINE_ENGINE: "fal",
      SHOTLINE_FAL_URL: upstream.queueUrl,
      SHOTLINE_FAL_KEY: upstream.key,
    });
  });
  after(async () => {
    await shotline.stop();
    await shotline.cleanup();
    await upstream.stop();
  });
  beforeEach(() => upstream.reset());

  it("refuses to start without SHOTLINE_FAL_KEY, naming it", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "shotline-fal-nokey-"));
    try {
      await assert.rejects(
        startServer({ SHOTLINE_ENGINE: "fal", SHOTLINE_FAL_KEY: "" }, dataDir),
        /SHOTLINE_ENGINE=fal needs SHOTLINE_FAL_KEY/,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("runs a storyboard on the upstream model and serves its MP4 from Shotline's storage", async () => {
    const receipt = await submit({
      multi_prompt: [
        { prompt: "A harbour at dawn, gulls, the camera pans left", duration: "1" },
        { prompt: "Close-up of a fisherman smiling, push in", duration: "2" },
      ],
      aspect_ratio: "9:16",
    });
    const status = await waitCompleted(receipt.status_url);
    assert.equal(status.error, undefined, JSON.stringify(status));

    const { response, body } = await getJson(receipt.response_url);
    assert.equal(response.status, 200);
    const video = body.video as Record<string, unknown>;
    assert.ok(
      String(video.url).startsWith(`${shotline.url}/files/${receipt.request_id}/`),
      String(video.url),
    );
    assert.deepEqual([video.width, video.height, video.fps, video.num_frames], [1080, 1920, 24, 72]);

    // The bytes are the upstream's own file, copied.
    const [upstreamId = ""] = upstream.submitted;
    const upstreamResult = await upstream.peerResult(upstreamId);
    const upstreamUrl = (upstreamResult.body.video as { url: string }).url;
    const ours = Buffer.from(await (await fetch(String(video.url))).arrayBuffer());
    const theirs = Buffer.from(await (await fetch(upstreamUrl)).arrayBuffer());
    assert.ok(ours.equals(theirs), "Shotline's file differs from the upstream's");
    assert.equal(video.file_size, theirs.length);

    // The storyboard went upstream as a storyboard, and the upstream's log came back.
    const messages = messagesOf(status);
    assert.ok(
      messages.some((m) => m.includes(`upstream request ${upstreamId}`)),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) => /^upstream: shot 2\/2: /.test(m)),
      messages.join("\n"),
    );
  });

  it("ends the request with the upstream's 422 and the same detail", async () => {
    const rejection = {
      detail: [
        {
          loc: ["body", "prompt"],
          msg: "The prompt was flagged by the content checker",
          type: "value_error",
        },
      ],
    };
    upstream.inject({ on: "submit", times: 1, respond: { status: 422, body: rejection } });
    const receipt = await submit({ prompt: "something the model refuses", duration: "3" });
    const status = await waitCompleted(receipt.status_url);
    assert.equal(status.error_type, "invalid_input");
    assert.match(String(status.error), /prompt: The prompt was flagged/);

    const { response, body } = await getJson(receipt.response_url);
    assert.equal(response.status, 422);
    assert.deepEqual(body.detail, rejection.detail);
  });

  it("retries the request after a 500 from the upstream, then succeeds", async () => {
    upstream.inject({
      on: "submit",
      times: 1,
      respond: { status: 500, body: { detail: "upstream hiccup" } },
    });
    const receipt = await submit({
      prompt: "A red kite over green hills",
      duration: "3",
      aspect_ratio: "1:1",
    });
    const status = await waitCompleted(receipt.status_url);
    assert.equal(status.error, undefined, JSON.stringify(status));
    const messages = messagesOf(status);
    assert.ok(
      messages.some((m) => /Attempt failed, will retry: fal answered 500 .*upstream hiccup/.test(m)),
      messages.join("\n"),
    );
    assert.ok(messages.some((m) => /^Attempt 2: fal engine/.test(m)));
    assert.deepEqual(
      upstream.calls.filter((c) => c.kind === "submit").map((c) => c.outcome),
      [500, 200],
    );
    const { response } = await getJson(receipt.response_url);
    assert.equal(response.status, 200);
  });

  it("passes a cancel upstream: the upstream request ends cancelled", async () => {
    const receipt = await submit({ prompt: "A long slow pan across a desert at noon", duration: "15" });
    await waitFor(async () => {
      const { body } = await getJson(`${receipt.status_url}?logs=1`);
      return messagesOf(body).includes("fal: running upstream") ? true : undefined;
    });
    const cancel = await fetch(receipt.cancel_url, { method: "PUT" });
    assert.equal(cancel.status, 202);

    const [upstreamId = ""] = upstream.submitted;
    const theirs = await upstream.peerCompleted(upstreamId);
    assert.equal(theirs.error_type, "cancelled");
    const ours = await waitCompleted(receipt.status_url);
    assert.equal(ours.error_type, "cancelled");
    await waitFor(async () =>
      upstream.calls.some((c) => c.kind === "cancel" && c.outcome === 202) ? true : undefined,
    );
  });
});
