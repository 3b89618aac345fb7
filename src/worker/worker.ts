import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import type { Engine } from "../engines/port.ts";
import type { FileStorage } from "../storage/port.ts";
import type { RequestRecord, RequestStore } from "../store/port.ts";
import { createRegistration } from "./registration.ts";
import { runRequest } from "./run-request.ts";

export interface WorkerOptions {
  store: RequestStore;
  storage: FileStorage;
  /** The engine that serves an endpoint id. */
  engineFor(endpointId: string): Engine;
  ffprobePath: string;
  /** Parent of the per-attempt work dirs. */
  workRoot: string;
  logger: Logger;
  concurrency?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /** How often to look for work when nothing in this process announced any. */
  pollMs?: number;
  workerId?: string;
  /** Told about each finished render (for metrics); a plain function so the worker imports no server code. */
  observeRender?: (seconds: number, frames: number, engine: string) => void;
  /** Claim only requests for these endpoints (those whose engines this process runs); absent: any. */
  endpointIds?: readonly string[];
  /** Names of the engines it runs, as announced in the worker registry. */
  engines?: readonly string[];
  /** Where this process answers `/healthz` and `/metrics`, as announced in the registry. */
  healthUrl?: string | null;
}

export interface Worker {
  readonly id: string;
  /** Ids of the requests running now. */
  running(): string[];
  /** Starts claiming; resolves once the worker has announced itself in the registry (or tried to). */
  start(): Promise<void>;
  /** Stops claiming; running requests get `graceMs` to finish, then go back to the queue. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Claims requests from the store (for `endpointIds` only, when given) and runs them,
 * `concurrency` at a time, and keeps its row in the worker registry. A change the store reports
 * (this process's writes; on PostgreSQL every process's) wakes it at once; other work (a
 * submit to another process on SQLite, a lease that ran out) is found within `pollMs`.
 */
export function createWorker(options: WorkerOptions): Worker {
  const id = options.workerId ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const settings = {
    concurrency: options.concurrency ?? 1,
    leaseMs: options.leaseMs ?? 30_000,
    maxAttempts: options.maxAttempts ?? 3,
    pollMs: options.pollMs ?? 500,
  };
  const running = new Map<string, { done: Promise<void>; shutdown: AbortController }>();
  let stopping = false;
  let announceStop: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (announceStop = resolve));
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  const unsubscribe = options.store.onChange(() => wake?.());
  const endpointIds = options.endpointIds && [...options.endpointIds];
  const registration = createRegistration({
    store: options.store,
    worker: {
      id,
      engines: [...(options.engines ?? [])],
      endpointIds: endpointIds ?? [],
      concurrency: settings.concurrency,
      healthUrl: options.healthUrl ?? null,
    },
    logger: options.logger,
    intervalMs: Math.max(250, Math.round(settings.leaseMs / 3)),
  });

  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, settings.pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wake = undefined));

  async function claimLoop() {
    while (!stopping) {
      if (running.size >= settings.concurrency) {
        await Promise.race([stopRequested, ...[...running.values()].map((r) => r.done)]);
        continue;
      }
      let record: RequestRecord | undefined;
      try {
        record = await options.store.claim({
          workerId: id,
          leaseMs: settings.leaseMs,
          maxAttempts: settings.maxAttempts,
          now: Date.now(),
          ...(endpointIds && { endpointIds }),
        });
      } catch (error) {
        options.logger.error({ err: error }, "claim failed");
      }
      if (!record) {
        await idle();
        continue;
      }
      const claimed = record;
      const shutdown = new AbortController();
      const workDir = path.join(options.workRoot, `${claimed.id}-${claimed.attempts}`);
      const done = mkdir(workDir, { recursive: true })
        .then(() =>
          runRequest(claimed, {
            ...options,
            workerId: id,
            leaseMs: settings.leaseMs,
            maxAttempts: settings.maxAttempts,
            workDir,
            shutdownSignal: shutdown.signal,
          }),
        )
        .catch((error: unknown) =>
          options.logger.error({ err: error, request_id: claimed.id }, "request crashed"),
        )
        .finally(async () => {
          running.delete(claimed.id);
          await rm(workDir, { recursive: true, force: true });
        });
      running.set(claimed.id, { done, shutdown });
    }
  }

  return {
    id,
    running: () => [...running.keys()],
    async start() {
      if (loop) return;
      options.logger.info(
        { worker_id: id, concurrency: settings.concurrency, endpoints: endpointIds ?? "any" },
        "worker started",
      );
      loop = claimLoop();
      await registration.start();
    },
    async stop(graceMs) {
      stopping = true;
      announceStop();
      wake?.();
      unsubscribe();
      await loop;
      const all = Promise.all([...running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<"grace over">(
        (resolve) => (timer = setTimeout(() => resolve("grace over"), graceMs)),
      );
      if ((await Promise.race([all, graceOver])) === "grace over") {
        for (const r of running.values()) r.shutdown.abort();
        await all;
      }
      clearTimeout(timer);
      await registration.stop();
      options.logger.info({ worker_id: id }, "worker stopped");
    },
  };
}
