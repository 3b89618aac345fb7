import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { QueueClient, QueueStatus } from "@fal-ai/client";
import { KLING_V3_TURBO_PRO_T2V } from "../../jobs/endpoints.ts";
import type { GenerationPlan } from "../../jobs/plan.ts";
import type { Engine, EngineContext, EngineOutput } from "../port.ts";
import { conformToPlan } from "./conform.ts";
import { assertMp4, downloadFile } from "./download.ts";
import { createStatusRelay, UPSTREAM_SHARE } from "./status-relay.ts";
import { upstreamFailure } from "./upstream-errors.ts";
import { createUpstreamQueue, FAL_QUEUE_ORIGIN } from "./upstream-queue.ts";

export { rebaseQueueUrl } from "./upstream-queue.ts";

export interface FalEngineOptions {
  /** The operator's fal key (`SHOTLINE_FAL_KEY`). */
  key: string;
  /** Queue origin (`SHOTLINE_FAL_URL`): fal's `https://queue.fal.run`, or e.g. another Shotline's `/queue`. */
  queueUrl: string;
  ffmpegPath: string;
  ffprobePath: string;
  /** The model called upstream; default the Kling endpoint Shotline serves. */
  endpointId?: string;
  /** Time between status polls. Default 500 ms, as fal's client. */
  pollIntervalMs?: number;
  /** First wait between tries of the output download, doubled after each. Default 1000 ms. */
  downloadBackoffMs?: number;
}

/** How long a cancel may take upstream before the request ends here anyway. */
const CANCEL_TIMEOUT_MS = 10_000;

/**
 * The real model: forwards the plan's input to fal's queue with the operator's key, relays the
 * upstream queue position, logs and progress into the request, and copies the output MP4 into
 * the work dir. A cancel is passed upstream. Upstream answers map to the request's end: a 422
 * keeps its `detail`, other 4xx end it, 5xx and dropped connections leave it for another attempt
 * (after the client's own retries).
 * @example
 * const engine = createFalEngine({ key, queueUrl: "https://queue.fal.run", ffmpegPath, ffprobePath });
 * const { path } = await engine.generate(plan, { signal, log, progress, workDir });
 */
export function createFalEngine(options: FalEngineOptions): Engine {
  const endpointId = options.endpointId ?? KLING_V3_TURBO_PRO_T2V;
  const queueUrl = options.queueUrl.replace(/\/+$/, "");
  const queue = createUpstreamQueue({ key: options.key, queueUrl });
  const where = queueUrl === FAL_QUEUE_ORIGIN ? "on fal" : `on the fal queue at ${queueUrl}`;

  return {
    name: "fal",
    description: `the real model ${endpointId} ${where}, called with the operator's key`,
    async generate(plan, context) {
      const { signal, log } = context;
      signal.throwIfAborted();
      // The submit itself is not aborted: a request it creates upstream must be known to be cancelled.
      const submitting = queue
        .submit(endpointId, { input: plan.input })
        .catch((error: unknown) => Promise.reject(upstreamFailure("the submit", error)));
      const receipt = await untilAborted(submitting, signal).catch((error: unknown) => {
        if (signal.aborted) {
          void submitting.then(
            (late) => cancelUpstream(queue, endpointId, late.request_id, log),
            () => undefined,
          );
        }
        throw error;
      });
      const requestId = receipt.request_id;
      log(`fal: submitted to ${endpointId} ${where}; upstream request ${requestId}`);
      let upstreamEnded = false;
      try {
        signal.throwIfAborted();
        await followUntilCompleted(queue, endpointId, requestId, context, options.pollIntervalMs ?? 500);
        upstreamEnded = true;
        const output = await queue
          .result(endpointId, { requestId, abortSignal: signal })
          .catch((error: unknown) =>
            Promise.reject(signal.aborted ? error : upstreamFailure("the result", error)),
          );
        return await copyOutput(output.data, plan, context, options, queueUrl);
      } catch (error) {
        if (signal.aborted && !upstreamEnded) await cancelUpstream(queue, endpointId, requestId, log);
        signal.throwIfAborted();
        throw error;
      }
    },
  };
}

/** Settles with `promise`, or rejects with the abort reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Polls the upstream status with its logs until COMPLETED, relaying each answer. */
async function followUntilCompleted(
  queue: QueueClient,
  endpointId: string,
  requestId: string,
  context: EngineContext,
  pollIntervalMs: number,
): Promise<void> {
  const relay = createStatusRelay(context);
  const { signal } = context;
  for (;;) {
    const status: QueueStatus = await queue
      .status(endpointId, { requestId, logs: true, abortSignal: signal })
      .catch((error: unknown) =>
        Promise.reject(signal.aborted ? error : upstreamFailure("a status poll", error)),
      );
    relay(status);
    if (status.status === "COMPLETED") return;
    await sleep(pollIntervalMs, undefined, { signal });
  }
}

async function cancelUpstream(
  queue: QueueClient,
  endpointId: string,
  requestId: string,
  log: EngineContext["log"],
): Promise<void> {
  try {
    await queue.cancel(endpointId, { requestId, abortSignal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) });
    log(`fal: cancel passed upstream (request ${requestId})`);
  } catch (error) {
    const reason = upstreamFailure("the cancel", error).message;
    log(`fal: the upstream request ${requestId} may still run: ${reason}`, "WARN");
  }
}

/** Downloads the output video into the work dir, checks it is an MP4 and conforms it to the plan. */
async function copyOutput(
  data: unknown,
  plan: GenerationPlan,
  context: EngineContext,
  options: FalEngineOptions,
  queueUrl: string,
): Promise<EngineOutput> {
  const { signal, log, progress, workDir } = context;
  const video = (data as { video?: { url?: unknown } } | null)?.video;
  if (typeof video?.url !== "string") {
    throw new Error(`fal: the result has no video URL: ${JSON.stringify(data)?.slice(0, 300)}`);
  }
  const url = new URL(video.url, queueUrl).href;
  const downloaded = join(workDir, "upstream.mp4");
  const bytes = await downloadFile(url, downloaded, {
    signal,
    ...(options.downloadBackoffMs !== undefined && { backoffMs: options.downloadBackoffMs }),
    onProgress: (fraction) => progress(UPSTREAM_SHARE + (1 - UPSTREAM_SHARE) * 0.95 * fraction),
  });
  await assertMp4(downloaded, url);
  log(`fal: copied the output (${(bytes / 1e6).toFixed(1)} MB)`);
  const path = await conformToPlan(downloaded, plan, {
    ffmpegPath: options.ffmpegPath,
    ffprobePath: options.ffprobePath,
    signal,
    log,
    outputPath: join(workDir, "output.mp4"),
  });
  progress(1);
  return { path };
}
