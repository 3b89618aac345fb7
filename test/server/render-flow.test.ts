import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { probeVideo } from "../../src/media/probe.ts";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitCompleted,
  waitFor,
  type ServerProcess,
} from "../support/server-process.ts";

const SAXOPHONIST =
  "A jazz saxophonist sways gently into the note, cheeks pressing, sweat glistening, smoke drifting through the warm light. The camera eases in slowly. Photorealistic, soulful, moody.";

/** ffmpeg processes whose parent is `pid`. */
function ffmpegChildren(pid: number): number[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,comm="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, comm]) => Number(ppid) === pid && comm?.startsWith("ffmpeg"))
    .map(([p]) => Number(p));
}

describe("rendering through the API (server process with its worker)", () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it("runs synchronously and serves the MP4 with ranges and ETags", async () => {
    const { response, body } = await postJson(`${server.url}/run/${ENDPOINT}`, {
      prompt: SAXOPHONIST,
      multi_prompt: null,
      aspect_ratio: "16:9",
      duration: "3",
    });
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.match(response.headers.get("x-fal-request-id") ?? "", /^[0-9a-f-]{36}$/);
    const video = body.video as Record<string, unknown>;
    assert.deepEqual(
      { ...video, url: undefined, file_size: undefined },
      {
        url: undefined,
        content_type: "video/mp4",
        file_name: "output.mp4",
        file_size: undefined,
        width: 1920,
        height: 1080,
        fps: 24,
        duration: 3,
        num_frames: 72,
      },
    );
    const url = video.url as string;
    assert.ok(url.startsWith(`${server.url}/files/`), url);

    const file = await fetch(url);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "video/mp4");
    const bytes = Buffer.from(await file.arrayBuffer());
    assert.equal(bytes.length, video.file_size);
    const local = path.join(server.dataDir, "downloaded.mp4");
    await writeFile(local, bytes);
    const probe = await probeVideo(defaultMediaTools().ffprobePath, local);
    assert.equal(probe.numFrames, 72);
    assert.equal(probe.codec, "h264");

    const etag = file.headers.get("etag")!;
    assert.ok(etag);
    assert.equal((await fetch(url, { headers: { "if-none-match": etag } })).status, 304);
    const ranged = await fetch(url, { headers: { range: "bytes=100-199" } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get("content-range"), `bytes 100-199/${bytes.length}`);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), bytes.subarray(100, 200));
    const suffix = await fetch(url, { headers: { range: "bytes=-10" } });
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), bytes.subarray(bytes.length - 10));
    assert.equal((await fetch(url, { headers: { range: `bytes=${bytes.length}-` } })).status, 416);
    const head = await fetch(url, { method: "HEAD" });
    assert.equal(head.headers.get("content-length"), String(bytes.length));

    for (const escape of [
      "/files/..%2f..%2fshotline.db",
      "/files/x/..%2F..%2Fshotline.db",
      "/files/%2e%2e/shotline.db",
    ]) {
      assert.equal((await fetch(`${server.url}${escape}`)).status, 404, escape);
    }
  });

  it("runs through the queue: progress, logs naming the engine, metrics with the price", async () => {
    const { body: receipt } = await postJson(`${server.url}/queue/${ENDPOINT}`, {
      prompt: "A neon city street at night in the rain, the camera pans left",
      aspect_ratio: "9:16",
      duration: "3",
    });
    const seen = new Set<string>();
    let sawProgress = false;
    const done = await waitFor(async () => {
      const { response, body } = await getJson(`${receipt.status_url}?logs=1`);
      seen.add(body.status as string);
      if (body.status === "IN_PROGRESS") {
        assert.equal(response.status, 202);
        if (typeof body.progress === "number" && body.progress > 0 && body.progress <= 1) sawProgress = true;
      }
      return body.status === "COMPLETED" ? { response, body } : undefined;
    });
    assert.equal(done.response.status, 200);
    assert.ok(seen.has("IN_PROGRESS"));
    assert.ok(sawProgress, "progress between 0 and 1 while running");
    const logs = done.body.logs as { message: string; level: string; source: string; timestamp: string }[];
    assert.ok(logs.some((l) => /previz/.test(l.message) && /not a neural model/i.test(l.message)));
    assert.ok(logs.every((l) => l.source === "USER" && !Number.isNaN(Date.parse(l.timestamp))));
    const metrics = done.body.metrics as Record<string, number>;
    assert.equal(metrics.billable_seconds, 3);
    assert.equal(metrics.cost_usd, 0.42);
    assert.ok(metrics.inference_time! > 0);

    const result = await getJson(receipt.response_url as string);
    assert.equal(result.response.status, 200);
    const video = result.body.video as Record<string, number>;
    assert.deepEqual([video.width, video.height, video.num_frames], [1080, 1920, 72]);
    const alias = await getJson(`${receipt.response_url}/response`);
    assert.deepEqual(alias.body, result.body);
  });

  it("streams a render's events in order, each log line once, and closes after COMPLETED", async () => {
    const { body: receipt } = await postJson(`${server.url}/queue/${ENDPOINT}`, {
      prompt: "snow in a forest",
      duration: "3",
    });
    const response = await fetch(`${receipt.status_url}/stream?logs=1`);
    const text = await response.text(); // resolves only when the server closes the stream
    const events = text
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map(
        (line) =>
          JSON.parse(line.slice(6)) as { status: string; logs: { message: string; timestamp: string }[] },
      );
    const order = events.map((e) => e.status).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(order.at(-1), "COMPLETED");
    assert.ok(order.includes("IN_PROGRESS"));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => RANK[a]! - RANK[b]!),
      "statuses never go back",
    );
    const lines = events.flatMap((e) => e.logs.map((l) => `${l.timestamp} ${l.message}`));
    assert.ok(lines.length >= 2);
    assert.equal(new Set(lines).size, lines.length, "no log line is sent twice");
    const final = await getJson(`${receipt.status_url}?logs=1`);
    assert.equal((final.body.logs as unknown[]).length, lines.length, "every log line was streamed");
  });

  it("cancels a running render: ffmpeg is killed and the request ends with an error", async () => {
    const { body: receipt } = await postJson(`${server.url}/queue/${ENDPOINT}`, {
      prompt: "a long desert drive",
      duration: "15",
    });
    const pid = server.child.pid!;
    await waitFor(async () => (ffmpegChildren(pid).length > 0 ? true : undefined));
    const cancel = await fetch(receipt.cancel_url as string, { method: "PUT" });
    assert.equal(cancel.status, 202);
    const status = await waitCompleted(receipt.status_url as string, 10_000);
    assert.equal(status.error_type, "cancelled");
    await waitFor(async () => (ffmpegChildren(pid).length === 0 ? true : undefined), 5_000);
    const result = await fetch(receipt.response_url as string);
    assert.equal(result.status, 400);
    // The service keeps serving.
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });
  it("serves shotline/previz/text-to-video: the same schema, rendered by previz, free", async () => {
    const PREVIZ = "shotline/previz/text-to-video";
    const health = await getJson(`${server.url}/healthz`);
    const endpoints = health.body.endpoints as { id: string; engine: string; price_per_second: number }[];
    assert.deepEqual(
      endpoints.map((e) => [e.id, e.engine, e.price_per_second]),
      [
        [ENDPOINT, "previz", 0.14],
        [PREVIZ, "previz", 0],
      ],
    );
    const { response: invalid, body: detail } = await postJson(`${server.url}/queue/${PREVIZ}`, {
      prompt: "x",
      aspect_ratio: "4:3",
    });
    assert.equal(invalid.status, 422, "same schema as the Kling endpoint");
    assert.deepEqual((detail.detail as { loc: string[] }[])[0]?.loc, ["body", "aspect_ratio"]);

    const { body: receipt } = await postJson(`${server.url}/queue/${PREVIZ}`, {
      prompt: "A fox runs through a snowy forest at dawn",
      aspect_ratio: "1:1",
      duration: "3",
    });
    assert.match(receipt.status_url as string, /\/queue\/shotline\/previz\/requests\//);
    const done = await waitCompleted(receipt.status_url as string, 120_000);
    const metrics = done.metrics as { billable_seconds: number; cost_usd: number };
    assert.equal(metrics.billable_seconds, 3);
    assert.equal(metrics.cost_usd, 0);
    const { body: result } = await getJson(receipt.response_url as string);
    assert.equal((result.video as { width: number }).width, 1440);
    // Addressed under its own app only.
    const elsewhere = await fetch(
      `${server.url}/queue/fal-ai/kling-video/requests/${receipt.request_id as string}/status`,
    );
    assert.equal(elsewhere.status, 404);

    const openapi = await getJson(`${server.url}/openapi.json?endpoint_id=${PREVIZ}`);
    const paths = Object.keys(openapi.body.paths as Record<string, unknown>);
    assert.ok(paths.includes(`/queue/${PREVIZ}`));
    assert.ok(!paths.some((p) => p.includes("kling")), paths.join());
    assert.equal((await fetch(`${server.url}/openapi.json?endpoint_id=nope/nope`)).status, 404);
  });
});

const RANK: Record<string, number> = { IN_QUEUE: 0, IN_PROGRESS: 1, COMPLETED: 2 };
