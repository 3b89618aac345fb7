import type { LogEntry, Priority, RequestMetrics, RequestStatus } from "../contract/queue.ts";

/**
 * Terminology
 * - request record: everything the store keeps of one request, committed before its id is returned.
 * - claim: a worker takes the oldest queued request of the highest priority and holds a *lease* on it.
 * - lease: the right to run a request until `leaseExpiresAt`; the holder renews it by heartbeats.
 *   A lease that runs out puts the request back in the queue.
 * - attempt: one claim of a request. After `maxAttempts` lost leases the request ends with an error.
 * - outcome: how a request ended, a result (the output JSON) or an error; either way it is COMPLETED.
 * - usage row: the bill of one completed request, written in the same transaction as the completion.
 */

/** How a request that did not produce a result ended. `httpStatus` is what its result URL answers. */
export interface RequestError {
  message: string;
  /** Machine-readable kind, sent as `error_type` (e.g. `request_timeout`, `cancelled`, `engine_error`). */
  type: string;
  httpStatus: number;
  /** A `detail` array for 422s that come from an engine (e.g. an upstream model's validation). */
  detail?: unknown;
}

export interface NewRequest {
  id: string;
  endpointId: string;
  /** The validated, canonical input. */
  input: unknown;
  priority: Priority;
  /** Epoch ms; a request not started by then ends with `request_timeout`. */
  startDeadline: number | null;
  /** Seconds of video and the price of one second, fixed at submit. */
  billableSeconds: number;
  pricePerSecond: number;
  createdAt: number;
}

export interface RequestRecord extends NewRequest {
  /** Monotonic order of arrival, used for queue order. */
  seq: number;
  status: RequestStatus;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  startedAt: number | null;
  completedAt: number | null;
  /** 0–1 while running. */
  progress: number | null;
  result: unknown;
  error: RequestError | null;
  metrics: RequestMetrics | null;
}

export interface StoredLog {
  /** Increases across the store: a reader asks for entries after the last one it saw. */
  seq: number;
  entry: LogEntry;
}

export interface UsageRow {
  requestId: string;
  endpointId: string;
  seconds: number;
  pricePerSecond: number;
  costUsd: number;
  createdAt: number;
}

export interface ClaimOptions {
  workerId: string;
  leaseMs: number;
  maxAttempts: number;
  now: number;
}

export type CancelOutcome = "cancelled" | "already_completed" | "not_found";

export type Outcome = { result: unknown; metrics: RequestMetrics } | { error: RequestError };

/** Durable requests, their queue, logs and usage. Every adapter passes `test/store/conformance.ts`. */
export interface RequestStore {
  /** Commits the request; when this resolves, the request survives any crash. */
  enqueue(request: NewRequest): Promise<RequestRecord>;
  get(id: string): Promise<RequestRecord | undefined>;
  /** Requests ahead of this one (0-based), or null when it is not queued. */
  queuePosition(id: string): Promise<number | null>;
  /**
   * Takes the next request for a worker: first ends requests whose leases ran out `maxAttempts`
   * times and those past their start deadline, then leases the oldest queued request of the
   * highest priority (a request with an expired lease counts as queued).
   */
  claim(options: ClaimOptions): Promise<RequestRecord | undefined>;
  /** Renews the lease. False when the worker no longer holds it (cancelled, or taken over). */
  heartbeat(id: string, workerId: string, leaseMs: number, now: number): Promise<boolean>;
  /** Gives a request back to the queue without counting the attempt (graceful shutdown). */
  release(id: string, workerId: string): Promise<void>;
  /**
   * Puts a failed attempt back in the queue (keeping its place and its attempt count) for another
   * try no earlier than `notBefore` (epoch ms): backoff between attempts.
   */
  retry(id: string, workerId: string, notBefore: number): Promise<void>;
  setProgress(id: string, workerId: string, progress: number): Promise<void>;
  appendLog(id: string, entry: LogEntry): Promise<void>;
  logs(id: string, afterSeq?: number): Promise<StoredLog[]>;
  /**
   * Ends a running request held by `workerId` and, for a result, records its usage row in the same
   * transaction. False (and nothing written) when the worker no longer holds the request.
   */
  complete(id: string, workerId: string, outcome: Outcome, now: number): Promise<boolean>;
  /** Ends a queued or running request with a `cancelled` error; a running worker notices by heartbeat. */
  cancel(id: string, now: number): Promise<CancelOutcome>;
  /** Ends queued requests whose start deadline has passed; returns their ids. */
  expireOverdue(now: number): Promise<string[]>;
  usage(): Promise<UsageRow[]>;
  /** Called with a request id after each change this process makes. */
  onChange(listener: (id: string) => void): () => void;
  close(): Promise<void>;
}
