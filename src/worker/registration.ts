import os from "node:os";
import type { Logger } from "pino";
import type { WorkerRecord, WorkerRegistry } from "../store/port.ts";

export interface RegistrationOptions {
  store: WorkerRegistry;
  worker: Pick<WorkerRecord, "id" | "engines" | "endpointIds" | "concurrency" | "healthUrl">;
  logger: Logger;
  intervalMs: number;
  /** Rows of workers silent this long are removed when a worker starts (crashed workers). */
  forgetAfterMs?: number;
}

export interface Registration {
  start(): Promise<void>;
  /** Stops the heartbeats and removes the row. */
  stop(): Promise<void>;
}

/**
 * Keeps a worker's row in the registry: announced at start, renewed every `intervalMs`, announced
 * again if it was forgotten meanwhile (say, after a long loss of the database), removed at stop.
 * A registry that cannot be reached never stops the worker: its requests have their own leases.
 */
export function createRegistration({
  store,
  worker,
  logger,
  intervalMs,
  forgetAfterMs = 3600_000,
}: RegistrationOptions): Registration {
  const log = logger.child({ component: "registration", worker_id: worker.id });
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> | undefined;

  const announce = (now: number) =>
    store.announceWorker({
      ...worker,
      host: os.hostname(),
      pid: process.pid,
      heartbeatIntervalMs: intervalMs,
      startedAt,
      heartbeatAt: now,
    });

  async function beat() {
    const now = Date.now();
    try {
      if (!(await store.workerHeartbeat(worker.id, now))) await announce(now);
    } catch (error) {
      log.warn({ err: error }, "worker heartbeat failed; will try again");
    }
  }

  return {
    async start() {
      try {
        await announce(startedAt);
        const forgotten = await store.forgetWorkers(startedAt - forgetAfterMs);
        if (forgotten.length > 0) log.info({ forgotten }, "forgot workers silent for too long");
      } catch (error) {
        log.warn({ err: error }, "could not announce the worker; heartbeats will try again");
      }
      timer = setInterval(() => {
        beating ??= beat().finally(() => (beating = undefined));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await beating;
      await store.retireWorker(worker.id).catch((error: unknown) => {
        log.warn({ err: error }, "could not retire the worker; its row will be forgotten later");
      });
    },
  };
}
