/**
 * Terminology
 * - request: one call of the endpoint, identified by a UUID from submit to result.
 * - status: fal's three states. A failed or cancelled request is `COMPLETED` with an `error`:
 *   fal's clients poll until `COMPLETED` and know no other state.
 * - log entry: a line a request shows its caller, with a level and a timestamp.
 */

export const REQUEST_STATUSES = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const PRIORITIES = ["normal", "low"] as const;
/** `x-fal-queue-priority`: low requests run after every normal one. */
export type Priority = (typeof PRIORITIES)[number];

export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR", "STDOUT", "STDERR"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  message: string;
  level: LogLevel;
  source: "USER";
  /** ISO 8601. */
  timestamp: string;
}

/** Figures a finished request reports in `metrics`. */
export interface RequestMetrics {
  /** Seconds the engine spent generating (the last attempt). */
  inference_time: number;
  billable_seconds: number;
  cost_usd: number;
}

/** The submit answer: where to follow the request. */
export interface QueueReceipt {
  request_id: string;
  response_url: string;
  status_url: string;
  cancel_url: string;
  queue_position: number | null;
  status: "IN_QUEUE";
}

/** The body of `GET …/status` and of each event of `…/status/stream`. */
export interface StatusBody {
  status: RequestStatus;
  request_id: string;
  response_url: string;
  status_url: string;
  cancel_url: string;
  queue_position: number | null;
  logs: LogEntry[] | null;
  progress?: number;
  metrics?: RequestMetrics;
  error?: string;
  error_type?: string;
}
