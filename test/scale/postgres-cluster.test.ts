import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { adminQuery, freshDatabase, postgresSkipReason } from "../store/fixtures/postgres.ts";
import { getJson, postJson, startServer, waitFor, type ServerProcess } from "../support/server-process.ts";
import { readStatusStream, startWorker, TINY_INPUT, type WorkerProcess } from "./processes.ts";

const run = promisify(execFile);
const skip = await postgresSkipReason();
const ENDPOINT = "fal-ai/kling-video/v3/turbo/pro/text-to-video";
const REQUESTS = 100;

/** The cluster PostgreSQL, restarted as an operator would (the test leaves it running). */
async function pgctl(action: "restart" | "start"): Promise<void> {
  const [version] = await readdir("/etc/postgresql");
  await run("pg_ctlcluster", ["--skip-systemctl-redirect", version ?? "", "main", action]);
}

/** Starts PostgreSQL unless it is up (or on its way up), then waits until it takes connections. */
async function ensurePostgresRunning(): Promise<void> {
  const { stdout } = await run("pg_lsclusters", ["--no-header"]);
  if (!/\bonline\b/.test(stdout)) await pgctl("start");
  await waitFor(() =>
    run("pg_isready", ["-h", "127.0.0.1", "-p", "5432"]).then(
      () => true,
      () => undefined,
    ),
  );
}

describe("two API processes and three worker processes on PostgreSQL", { skip }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dir = "";
  const apis: ServerProcess[] = [];
  const workers: WorkerProcess[] = [];
  /** Processes that ended, with what they printed on stderr: the story behind a failure. */
  const exits: string[] = [];
  let query: <R extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

  before(async () => {
    db = await freshDatabase();
    query = (text, values) => adminQuery(text, values, db.url);
    // One data dir for every process: its files directory stands for shared storage (S3).
    dir = await mkdtemp(path.join(os.tmpdir(), "shotline-cluster-"));
    // A short lease so that a killed worker's request is taken over soon; attempts to spare for
    // leases lost to the load of three renders on two cores.
    const env = {
      DATABASE_URL: db.url,
      SHOTLINE_LEASE_SECONDS: "4",
      SHOTLINE_MAX_ATTEMPTS: "6",
      SHOTLINE_RATE_LIMIT_SUBMITS: "0",
    };
    apis.push(await startServer({ ...env, SHOTLINE_WORKER: "off" }, dir));
    apis.push(await startServer({ ...env, SHOTLINE_WORKER: "off" }, dir));
    for (let i = 0; i < 3; i++) workers.push(await startWorker(dir, env));
    for (const { child } of [...apis, ...workers]) {
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("exit", (code, signal) =>
        exits.push(`pid ${child.pid} exited (${code ?? signal}): ${stderr}`),
      );
    }
  });

  after(async () => {
    await ensurePostgresRunning();
    for (const process of [...workers, ...apis]) await process.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("each API process lists the three workers and their engines", async () => {
    for (const api of apis) {
      const { body } = await getJson(`${api.url}/healthz`);
      const listed = body.workers as { id: string; alive: boolean; engines: string[]; health_url: string }[];
      assert.deepEqual(
        listed.map((w) => [w.id, w.alive, w.engines, w.health_url]).sort(),
        workers.map((w) => [w.id, true, ["previz"], w.healthUrl]).sort(),
      );
    }
  });

  it("100 requests on two APIs complete exactly once each, through a worker's crash and a database restart", async () => {
    try {
      await hundredRequests();
    } catch (error) {
      throw new Error(`${String(error)}\n${exits.join("\n")}`, { cause: error });
    }
  });

  async function hundredRequests() {
    const [apiA, apiB] = apis as [ServerProcess, ServerProcess];
    const submit = async (i: number) => {
      const api = i % 2 === 0 ? apiA : apiB;
      const { response, body } = await postJson(`${api.url}/queue/${ENDPOINT}`, {
        ...TINY_INPUT,
        prompt: `${TINY_INPUT.prompt}, take ${i}`,
      });
      assert.equal(response.status, 200, JSON.stringify(body));
      return { id: body.request_id as string, api, other: api === apiA ? apiB : apiA };
    };
    const submitted = [];
    for (let i = 0; i < 70; i++) submitted.push(await submit(i));

    // Submitted to A, rendered by a worker process, followed from B, which never saw it.
    const watched = submitted[0]!;
    const stream = readStatusStream(
      `${watched.other.url}/queue/fal-ai/kling-video/requests/${watched.id}/status/stream?logs=1`,
    );

    // kill -9 a worker in the middle of a render.
    const victim = await waitFor(async () => {
      const [row] = await query<{ id: string; lease_owner: string }>(
        `SELECT id, lease_owner FROM requests WHERE status = 'IN_PROGRESS' AND progress > 0 LIMIT 1`,
      );
      return row;
    });
    const killed = workers.find((w) => w.id === victim.lease_owner)!;
    await killed.kill9();
    const survivors = workers.filter((w) => w !== killed);

    // A restart of PostgreSQL while requests run and while the last 30 are being submitted.
    await waitFor(async () => {
      const [row] = await query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM requests WHERE status = 'COMPLETED'`,
      );
      return (row?.n ?? 0) >= 15 ? true : undefined;
    }, 300_000);
    const restartedAt = Date.now();
    const late = Promise.allSettled(Array.from({ length: REQUESTS - 70 }, (_, i) => submit(70 + i)));
    await pgctl("restart");
    for (const outcome of await late) {
      if (outcome.status === "rejected") {
        const reason = outcome.reason as Error & { cause?: unknown };
        throw new Error(`a submit during the restart failed: ${reason.message} (${String(reason.cause)})`);
      }
      submitted.push(outcome.value);
    }

    const ids = submitted.map((s) => s.id);
    assert.equal(new Set(ids).size, REQUESTS);
    await waitFor(async () => {
      const rows = await query<{ n: number }>(
        `SELECT COUNT(*)::int AS n FROM requests WHERE status = 'COMPLETED'`,
      ).catch(() => [{ n: 0 }]);
      return (rows[0]?.n ?? 0) >= REQUESTS ? true : undefined;
    }, 900_000);

    const rows = await query<{ id: string; error: string | null; result: string | null; attempts: number }>(
      `SELECT id, error, result, attempts FROM requests`,
    );
    assert.equal(rows.length, REQUESTS);
    assert.deepEqual(
      rows.filter((row) => row.error !== null || row.result === null),
      [],
    );
    assert.deepEqual(rows.map((row) => row.id).sort(), [...ids].sort());
    const usage = await query<{ request_id: string; cost_usd: number }>(
      `SELECT request_id, cost_usd FROM usage`,
    );
    assert.deepEqual(usage.map((row) => row.request_id).sort(), [...ids].sort(), "each request billed once");
    assert.ok(usage.every((row) => Math.abs(row.cost_usd - 0.42) < 1e-9));

    // The killed worker's request finished on another worker.
    const taken = rows.find((row) => row.id === victim.id)!;
    assert.ok(taken.attempts >= 2, `attempts ${taken.attempts}`);
    const attemptLogs = await query<{ message: string }>(
      `SELECT message FROM request_logs WHERE request_id = $1 AND message LIKE 'Attempt %' ORDER BY seq`,
      [victim.id],
    );
    assert.ok(attemptLogs.length >= 2, JSON.stringify(attemptLogs));

    // Every surviving worker went on completing requests after the restart: it reconnected.
    for (const worker of survivors) {
      const completedAfter = worker.logs.filter(
        (line) => line.msg === "request completed" && (line.time as number) > restartedAt,
      );
      assert.ok(completedAfter.length > 0, `worker ${worker.id} completed nothing after the restart`);
    }

    // The stream on B saw the render's progress and its end.
    const events = await stream;
    assert.ok(
      events.some((e) => e.status === "IN_PROGRESS" && typeof e.progress === "number" && e.progress > 0),
      JSON.stringify(events.map((e) => [e.status, e.progress])),
    );
    assert.equal(events.at(-1)?.status, "COMPLETED");

    // Either API answers for every request, whichever took it.
    for (const { id, other } of submitted) {
      const { response, body } = await getJson(`${other.url}/queue/fal-ai/kling-video/requests/${id}/status`);
      assert.equal(response.status, 200);
      assert.equal(body.status, "COMPLETED");
    }
    const { body: result } = await getJson(`${apiB.url}/queue/fal-ai/kling-video/requests/${watched.id}`);
    assert.equal((await fetch((result.video as { url: string }).url)).status, 200);

    // The crashed worker is shown as lost; the others stop cleanly and leave the registry.
    const lost = await waitFor(async () => {
      const { body } = await getJson(`${apiA.url}/healthz`);
      const entry = (body.workers as { id: string; alive: boolean }[]).find((w) => w.id === killed.id);
      return entry?.alive === false ? entry : undefined;
    });
    assert.equal(lost.alive, false);
    for (const worker of survivors) assert.equal(await worker.stop(), 0);
    const { body } = await getJson(`${apiB.url}/healthz`);
    assert.deepEqual(
      (body.workers as { id: string }[]).map((w) => w.id),
      [killed.id],
    );
  }
});
