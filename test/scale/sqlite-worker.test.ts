import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { getJson, postJson, startServer, waitFor, type ServerProcess } from "../support/server-process.ts";
import { readStatusStream, startWorker, TINY_INPUT, type WorkerProcess } from "./processes.ts";

const PREVIZ = "shotline/previz/text-to-video";

/** The embedded store (SQLite) with the API in one process and the worker in another on the same machine. */
describe("a worker process beside an API-only process on SQLite", () => {
  let dir = "";
  let api: ServerProcess;
  let worker: WorkerProcess;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shotline-sqlite-worker-"));
    api = await startServer({ SHOTLINE_WORKER: "off" }, dir);
    worker = await startWorker(dir);
  });
  after(async () => {
    await worker.stop();
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("the API's /healthz lists the worker, which answers /healthz and /metrics itself", async () => {
    const { body } = await getJson(`${api.url}/healthz`);
    const workers = body.workers as { id: string; health_url: string; alive: boolean; engines: string[] }[];
    assert.deepEqual(
      workers.map((w) => [w.id, w.health_url, w.alive, w.engines]),
      [[worker.id, worker.healthUrl, true, ["previz"]]],
    );
    const own = await getJson(`${worker.healthUrl}/healthz`);
    assert.equal(own.body.role, "worker");
    assert.equal(own.body.worker_id, worker.id);
    const metrics = await (await fetch(`${worker.healthUrl}/metrics`)).text();
    assert.match(metrics, /^shotline_queue_depth /m);
  });

  it("the API's status stream follows a request the other process renders, to its result", async () => {
    const { body: receipt } = await postJson(`${api.url}/queue/${PREVIZ}`, TINY_INPUT);
    const events = await readStatusStream(`${receipt.status_url as string}/stream?logs=1`);
    const running = events.filter((event) => event.status === "IN_PROGRESS");
    assert.ok(
      running.some((event) => typeof event.progress === "number" && event.progress > 0 && event.progress < 1),
      `progress seen while rendering: ${JSON.stringify(running.map((event) => event.progress))}`,
    );
    const messages = events.flatMap((event) => (event.logs as { message: string }[] | undefined) ?? []);
    assert.ok(messages.some((log) => /^Attempt 1: previz/.test(log.message)));
    const last = events.at(-1);
    assert.equal(last?.status, "COMPLETED");
    assert.equal(last?.error, undefined);
    const { body: result } = await getJson(receipt.response_url as string);
    const video = result.video as { url: string; num_frames: number };
    assert.equal(video.num_frames, 72);
    assert.equal((await fetch(video.url)).status, 200);
  });

  it("a worker refuses an engine no endpoint runs, before claiming anything", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.resolve(import.meta.dirname, "../../src/cli/main.ts"),
        "worker",
        "--engine",
        "nope",
      ],
      { env: { ...process.env, SHOTLINE_DATA_DIR: dir }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, "exit");
    assert.equal(code, 2);
    assert.match(stderr, /--engine nope: no endpoint of this deployment runs it \(engines: previz\)/);
  });

  it("SIGTERM mid-render gives the request back, leaves the registry, and the next worker finishes it", async () => {
    await worker.stop();
    worker = await startWorker(dir, { SHOTLINE_SHUTDOWN_GRACE_SECONDS: "0" });
    const { body: receipt } = await postJson(`${api.url}/queue/${PREVIZ}`, { ...TINY_INPUT, duration: "5" });
    await waitFor(async () => {
      const { body } = await getJson(receipt.status_url as string);
      return body.status === "IN_PROGRESS" ? true : undefined;
    });
    assert.equal(await worker.stop(), 0, "clean exit");
    const { body: back } = await getJson(receipt.status_url as string);
    assert.equal(back.status, "IN_QUEUE", "given back to the queue, not left to its lease");
    const { body: health } = await getJson(`${api.url}/healthz`);
    assert.deepEqual(health.workers, []);

    worker = await startWorker(dir);
    const events = await readStatusStream(`${receipt.status_url as string}/stream`);
    assert.equal(events.at(-1)?.status, "COMPLETED");
    assert.equal(events.at(-1)?.error, undefined);
  });
});
