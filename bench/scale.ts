/**
 * Scale-out benchmark of the request store: claims per second, and end-to-end throughput of
 * trivial requests, with 1, 2 and 4 worker processes on PostgreSQL and 1 on SQLite, in one run.
 *
 * What is measured is the store, not an engine: each worker is a separate process running the
 * worker's store calls (claim → log line → progress → complete with a usage row) on its own store
 * instance, with no rendering in between; submits come from the parent process through `enqueue`,
 * 32 in flight at a time, as concurrent API calls would. Numbers are reported with ratios to one
 * PostgreSQL worker, since the absolute ones depend on the machine (and the cores it shares).
 *
 * Usage: node --import tsx bench/scale.ts   (DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
 */
import { randomBytes, randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createPostgresStore } from "../src/store/postgres/index.ts";
import type { NewRequest, RequestStore } from "../src/store/port.ts";
import { createSqliteStore } from "../src/store/sqlite/index.ts";

const POSTGRES_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CLAIMS = 2000;
const REQUESTS = 2000;
const SUBMITS_IN_FLIGHT = 32;
const ENDPOINT = "shotline/previz/text-to-video";

/** Where a process finds the store of one scenario. */
type StoreTarget = { kind: "postgres"; schema: string } | { kind: "sqlite"; path: string };

function openTarget(target: StoreTarget): RequestStore {
  return target.kind === "postgres"
    ? createPostgresStore({ url: POSTGRES_URL, schema: target.schema, maxConnections: 4 })
    : createSqliteStore({ path: target.path });
}

function trivialRequest(): NewRequest {
  return {
    id: randomUUID(),
    endpointId: ENDPOINT,
    input: { prompt: "a trivial request", duration: "3" },
    priority: "normal",
    startDeadline: null,
    billableSeconds: 3,
    pricePerSecond: 0,
    createdAt: Date.now(),
    keyId: null,
    idempotencyKey: null,
    webhookUrl: null,
    origin: null,
    retentionSeconds: 3600,
  };
}

// ——— a worker process ———

/**
 * `--worker <target> <mode>`: says "ready", waits for "go", then claims until the queue is empty
 * (mode `claim`), or runs claim → log → progress → complete until told "end" and the queue is
 * empty (mode `cycle`). Prints how many requests it took.
 */
async function workerProcess(target: StoreTarget, mode: "claim" | "cycle"): Promise<void> {
  const store = openTarget(target);
  await store.ready();
  const workerId = `bench-${process.pid}`;
  const lines = readline.createInterface({ input: process.stdin });
  let ended = mode === "claim";
  const go = new Promise<void>((resolve) =>
    lines.on("line", (line) => {
      if (line === "go") resolve();
      if (line === "end") ended = true;
    }),
  );
  process.stdout.write("ready\n");
  await go;
  let taken = 0;
  for (;;) {
    const record = await store.claim({ workerId, leaseMs: 60_000, maxAttempts: 3, now: Date.now() });
    if (record === undefined) {
      if (ended) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    taken++;
    if (mode === "cycle") {
      const now = Date.now();
      await store.appendLog(record.id, { message: "trivial", level: "INFO", source: "USER", timestamp: "" });
      await store.setProgress(record.id, workerId, 0.5);
      const metrics = { inference_time: 0, billable_seconds: 3, cost_usd: 0 };
      await store.complete(record.id, workerId, { result: { video: null }, metrics }, now);
    }
  }
  await store.close();
  process.stdout.write(`${taken}\n`);
  lines.close();
}

// ——— the parent ———

interface Worker {
  child: ChildProcess;
  lines: AsyncIterator<string>;
}

async function startWorkers(target: StoreTarget, mode: "claim" | "cycle", count: number): Promise<Worker[]> {
  const self = fileURLToPath(import.meta.url);
  const workers = Array.from({ length: count }, () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", self, "--worker", JSON.stringify(target), mode],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    return { child, lines: readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
  });
  for (const worker of workers) await worker.lines.next(); // "ready"
  return workers;
}

async function finish(workers: Worker[]): Promise<number> {
  let total = 0;
  for (const worker of workers) total += Number((await worker.lines.next()).value);
  return total;
}

async function enqueueAll(store: RequestStore, count: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      await store.enqueue(trivialRequest());
    }
  };
  await Promise.all(Array.from({ length: SUBMITS_IN_FLIGHT }, lane));
}

/** Claims per second: the queue is filled first, then every worker claims until it is empty. */
async function measureClaims(target: StoreTarget, count: number): Promise<number> {
  const store = openTarget(target);
  await store.ready();
  await enqueueAll(store, CLAIMS);
  const workers = await startWorkers(target, "claim", count);
  const startedAt = performance.now();
  for (const worker of workers) worker.child.stdin!.write("go\n");
  const claimed = await finish(workers);
  const seconds = (performance.now() - startedAt) / 1000;
  await store.close();
  if (claimed !== CLAIMS) throw new Error(`claimed ${claimed} of ${CLAIMS}`);
  return claimed / seconds;
}

/** Requests per second from the first submit to the last completion, submits and workers together. */
async function measureThroughput(target: StoreTarget, count: number): Promise<number> {
  const store = openTarget(target);
  await store.ready();
  const workers = await startWorkers(target, "cycle", count);
  const startedAt = performance.now();
  for (const worker of workers) worker.child.stdin!.write("go\n");
  await enqueueAll(store, REQUESTS);
  for (const worker of workers) worker.child.stdin!.write("end\n");
  const done = await finish(workers);
  const seconds = (performance.now() - startedAt) / 1000;
  const billed = (await store.usage()).length;
  await store.close();
  if (done !== REQUESTS || billed !== REQUESTS) throw new Error(`completed ${done}, billed ${billed}`);
  return REQUESTS / seconds;
}

async function withTarget<T>(
  kind: StoreTarget["kind"],
  body: (target: StoreTarget) => Promise<T>,
): Promise<T> {
  if (kind === "sqlite") {
    const dir = await mkdtemp(path.join(os.tmpdir(), "shotline-bench-"));
    try {
      return await body({ kind, path: path.join(dir, "bench.db") });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const schema = `shotline_bench_${randomBytes(6).toString("hex")}`;
  try {
    return await body({ kind, schema });
  } finally {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await client.end();
  }
}

async function main(): Promise<void> {
  const scenarios = [
    { kind: "postgres", workers: 1 },
    { kind: "postgres", workers: 2 },
    { kind: "postgres", workers: 4 },
    { kind: "sqlite", workers: 1 },
  ] as const;
  console.log(
    `Store-level benchmark (no engine): each worker is a process running claim → log → progress →` +
      ` complete on its own store instance; ${CLAIMS} claims, ${REQUESTS} requests per scenario;` +
      ` ${os.cpus().length} CPU cores shared by everything, PostgreSQL included.`,
  );
  const results: { name: string; claims: number; throughput: number }[] = [];
  for (const { kind, workers } of scenarios) {
    const claims = await withTarget(kind, (target) => measureClaims(target, workers));
    const throughput = await withTarget(kind, (target) => measureThroughput(target, workers));
    results.push({ name: `${kind} × ${workers} worker${workers > 1 ? "s" : ""}`, claims, throughput });
  }
  const base = results[0]!;
  console.log(["scenario".padEnd(24), "claims/s", "  ×pg1", "  requests/s", "  ×pg1"].join(" "));
  for (const r of results) {
    console.log(
      [
        r.name.padEnd(24),
        r.claims.toFixed(0).padStart(8),
        (r.claims / base.claims).toFixed(2).padStart(6),
        r.throughput.toFixed(0).padStart(12),
        (r.throughput / base.throughput).toFixed(2).padStart(6),
      ].join(" "),
    );
  }
}

const args = process.argv.slice(2);
if (args[0] === "--worker") {
  await workerProcess(JSON.parse(args[1] ?? "") as StoreTarget, args[2] === "cycle" ? "cycle" : "claim");
} else {
  await main();
}
