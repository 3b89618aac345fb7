import type { QueueStatus } from "@fal-ai/client";
import { LOG_LEVELS, type LogLevel } from "../../contract/queue.ts";
import type { EngineContext } from "../port.ts";

/** Share of the progress bar for the upstream model's own work; the rest is copying its file. */
export const UPSTREAM_SHARE = 0.9;

/**
 * Turns the upstream's status answers into the Shotline request's log and progress: its queue
 * position when it changes, when it starts, each of its log lines once (a status carries all lines
 * so far), its progress when it reports one (fal itself does not: the bar then waits at 0 until
 * the file arrives, rather than show a guess), and how long the model ran.
 */
export function createStatusRelay(context: Pick<EngineContext, "log" | "progress">) {
  const { log, progress } = context;
  let position: number | null = null;
  let started = false;
  const seen = new Set<string>();

  return function relayStatus(status: QueueStatus): void {
    if (status.status === "IN_QUEUE") {
      if (typeof status.queue_position === "number" && status.queue_position !== position) {
        position = status.queue_position;
        log(`fal: queued upstream, position ${position}`);
      }
      return;
    }
    if (status.status === "IN_PROGRESS" && !started) {
      started = true;
      log("fal: running upstream");
    }
    for (const entry of Array.isArray(status.logs) ? status.logs : []) {
      const key = `${entry.timestamp}\u0000${entry.level}\u0000${entry.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      log(`upstream: ${entry.message}`, levelOf(entry.level));
    }
    // `progress` is an extension some upstreams add (Shotline does); fal's own status has none.
    const reported = (status as { progress?: unknown }).progress;
    if (status.status === "IN_PROGRESS" && typeof reported === "number" && Number.isFinite(reported)) {
      progress(UPSTREAM_SHARE * Math.min(1, Math.max(0, reported)));
    }
    if (status.status === "COMPLETED") {
      const seconds = status.metrics?.inference_time;
      progress(UPSTREAM_SHARE);
      log(
        typeof seconds === "number"
          ? `fal: upstream finished; the model ran ${seconds.toFixed(1)} s`
          : "fal: upstream finished",
      );
    }
  };
}

const levelOf = (level: string): LogLevel =>
  (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : "INFO";
