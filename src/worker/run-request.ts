import type { Logger } from "pino";
import type { LogLevel } from "../contract/queue.ts";
import { REQUEST_ERRORS } from "../contract/request-errors.ts";
import { validateInput } from "../contract/validation.ts";
import { InputRejectedError, UnrecoverableError, type Engine } from "../engines/port.ts";
import { makeGenerationPlan, type GenerationPlan } from "../jobs/plan.ts";
import { priceOf } from "../contract/pricing.ts";
import { probeVideo } from "../media/probe.ts";
import type { FileStorage } from "../storage/port.ts";
import type { RequestError, RequestRecord, RequestStore } from "../store/port.ts";

export interface RunContext {
  store: RequestStore;
  storage: FileStorage;
  engineFor(endpointId: string): Engine;
  ffprobePath: string;
  logger: Logger;
  workerId: string;
  leaseMs: number;
  maxAttempts: number;
  workDir: string;
  /** Aborted when the worker shuts down: the request goes back to the queue. */
  shutdownSignal: AbortSignal;
  observeRender?: ((seconds: number, frames: number, engine: string) => void) | undefined;
}

/** Progress is written to the store at most this often. */
const PROGRESS_WRITE_INTERVAL_MS = 200;

/**
 * Runs one claimed request to its end: engine → conformance check → storage → completion with
 * usage, all while heartbeating the lease. A cancel (seen by heartbeat or by a change event)
 * aborts the engine; a shutdown gives the request back; a failure ends it with an error, or
 * leaves it for another attempt when a retry may help.
 */
export async function runRequest(record: RequestRecord, ctx: RunContext): Promise<void> {
  const { store, workerId } = ctx;
  const log = ctx.logger.child({ request_id: record.id, attempt: record.attempts });
  const lost = new AbortController();
  const signal = AbortSignal.any([lost.signal, ctx.shutdownSignal]);

  const checkLease = async () => {
    const held = await store.heartbeat(record.id, workerId, ctx.leaseMs, Date.now()).catch(() => true);
    if (!held) lost.abort();
  };
  const heartbeat = setInterval(() => void checkLease(), Math.max(250, ctx.leaseMs / 3));
  // A cancel made in this process is seen at once; one made elsewhere at the next heartbeat.
  const unsubscribe = store.onChange((id) => {
    if (id === record.id) void store.get(id).then((r) => r?.status === "COMPLETED" && lost.abort());
  });

  const userLog = (message: string, level: LogLevel = "INFO") =>
    void store
      .appendLog(record.id, { message, level, source: "USER", timestamp: new Date().toISOString() })
      .catch((error: unknown) => log.warn({ err: error }, "could not store a log line"));
  let lastProgressAt = 0;
  const progress = (fraction: number) => {
    const now = Date.now();
    if (now - lastProgressAt < PROGRESS_WRITE_INTERVAL_MS && fraction < 1) return;
    lastProgressAt = now;
    void store.setProgress(record.id, workerId, Math.min(1, Math.max(0, fraction))).catch(() => undefined);
  };

  const startedAt = performance.now();
  try {
    const engine = ctx.engineFor(record.endpointId);
    const plan = planOf(record);
    log.info({ engine: engine.name, frames: plan.totalFrames }, "request started");
    userLog(`Attempt ${record.attempts}: ${engine.name} engine (${engine.description})`);
    const output = await engine.generate(plan, { signal, log: userLog, progress, workDir: ctx.workDir });
    signal.throwIfAborted();
    const video = await checkedVideo(ctx.ffprobePath, output.path, plan);
    const stored = await ctx.storage.put(`${record.id}/output.mp4`, output.path, "video/mp4");
    const inferenceTime = (performance.now() - startedAt) / 1000;
    const result = {
      video: {
        url: `/files/${stored.key}`,
        content_type: "video/mp4",
        file_name: "output.mp4",
        file_size: stored.size,
        ...video,
      },
    };
    const metrics = {
      inference_time: Math.round(inferenceTime * 1000) / 1000,
      billable_seconds: record.billableSeconds,
      cost_usd: priceOf(record.billableSeconds, record.pricePerSecond),
    };
    userLog(`Done in ${metrics.inference_time.toFixed(1)} s`);
    if (!(await store.complete(record.id, workerId, { result, metrics }, Date.now()))) {
      // Cancelled or taken over meanwhile: the file belongs to nobody.
      await ctx.storage.delete(stored.key);
      log.info("request ended elsewhere; output discarded");
      return;
    }
    ctx.observeRender?.(inferenceTime, plan.totalFrames, engine.name);
    log.info({ inference_time: metrics.inference_time }, "request completed");
  } catch (error) {
    if (ctx.shutdownSignal.aborted) {
      await store.release(record.id, workerId);
      log.info("request given back to the queue (shutdown)");
      return;
    }
    if (lost.signal.aborted) {
      log.info("request cancelled or taken over; engine stopped");
      return;
    }
    await endWithError(record, ctx, error, userLog, log);
  } finally {
    clearInterval(heartbeat);
    unsubscribe();
  }
}

function planOf(record: RequestRecord): GenerationPlan {
  const parsed = validateInput(record.input);
  if (!parsed.ok) {
    throw new UnrecoverableError(
      `Stored input no longer validates: ${parsed.detail.map((d) => d.msg).join("; ")}`,
    );
  }
  return makeGenerationPlan(parsed.input);
}

/** Checks an engine's file against the plan (never hand out a file that breaks the contract). */
async function checkedVideo(ffprobePath: string, file: string, plan: GenerationPlan) {
  const probe = await probeVideo(ffprobePath, file);
  const expected = { width: plan.width, height: plan.height, fps: plan.fps, num_frames: plan.totalFrames };
  const actual = { width: probe.width, height: probe.height, fps: probe.fps, num_frames: probe.numFrames };
  for (const [key, value] of Object.entries(expected)) {
    if (actual[key as keyof typeof actual] !== value) {
      throw new Error(`Engine output has ${key} ${actual[key as keyof typeof actual]}, expected ${value}`);
    }
  }
  return { ...expected, duration: plan.totalSeconds };
}

async function endWithError(
  record: RequestRecord,
  ctx: RunContext,
  error: unknown,
  userLog: (message: string, level?: LogLevel) => void,
  log: Logger,
) {
  const message = error instanceof Error ? error.message : String(error);
  const retryable = !(error instanceof UnrecoverableError) && record.attempts < ctx.maxAttempts;
  log.warn({ err: error, retryable }, "request failed");
  userLog(`${retryable ? "Attempt failed, will retry" : "Failed"}: ${message}`, "ERROR");
  if (retryable) {
    await ctx.store.retry(record.id, ctx.workerId, Date.now() + retryDelayMs(record.attempts));
    return;
  }
  // A model's own refusal of the input keeps its status and `detail`, so callers see what it said.
  const failure: RequestError =
    error instanceof InputRejectedError
      ? { ...REQUEST_ERRORS.input, message, detail: error.detail }
      : { ...REQUEST_ERRORS.engine, message };
  await ctx.store.complete(record.id, ctx.workerId, { error: failure }, Date.now());
}

/** Exponential backoff between attempts: 1 s, 2 s, 4 s … capped at 30 s. */
const retryDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));
