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
 * - API key: `key_id:secret`; the store keeps the id, a hash of the secret, a name, an optional
 *   budget and whether the key is an admin's. A request belongs to the key that submitted it
 *   (none in local mode).
 * - reservation: the price of a request that has not ended yet, held against its key's budget.
 * - webhook delivery: a row of the outbox, made in the same transaction that ends a request that
 *   asked for a webhook, and deleted from nothing: it is marked delivered or failed.
 * - worker record: a worker process announces itself (host, pid, engines, the endpoints it claims
 *   for) and renews its row by heartbeats, so that any API process can show who is working.
 * - instance: one opened store. Several instances (processes, hosts) share one database.
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
  /** The API key that submitted the request; null in local mode (no key). */
  keyId: string | null;
  /** `Idempotency-Key`: a repeat with the same key returns the first request. */
  idempotencyKey: string | null;
  /** `?fal_webhook=`: where to POST the outcome. */
  webhookUrl: string | null;
  /** Origin that made the request, for absolute URLs in webhook payloads. */
  origin: string | null;
  /** How long output files live after completion. */
  retentionSeconds: number;
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
  /** Epoch ms after which the output files are deleted; null until a result exists. */
  filesExpireAt: number | null;
  filesDeletedAt: number | null;
}

export interface StoredLog {
  /** Increases across the store: a reader asks for entries after the last one it saw. */
  seq: number;
  entry: LogEntry;
}

export interface UsageRow {
  requestId: string;
  keyId: string | null;
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
  /** Claim only requests for these endpoints (those whose engines the worker runs); absent: any. */
  endpointIds?: readonly string[];
}

/** A submit whose price does not fit in what is left of its key's budget; nothing was enqueued. */
export class BudgetExceededError extends Error {
  override name = "BudgetExceededError";
  constructor(
    readonly priceUsd: number,
    readonly remainingUsd: number,
  ) {
    super(
      `This request costs $${priceUsd.toFixed(2)} but only $${Math.max(0, remainingUsd).toFixed(2)} of the key's budget is left`,
    );
  }
}

/** The same `Idempotency-Key` was used before with a different input; nothing was enqueued. */
export class IdempotencyConflictError extends Error {
  override name = "IdempotencyConflictError";
  constructor(readonly existingRequestId: string) {
    super(`Idempotency-Key was already used for request ${existingRequestId} with a different input`);
  }
}

export type CancelOutcome = "cancelled" | "already_completed" | "not_found";

export type Outcome = { result: unknown; metrics: RequestMetrics } | { error: RequestError };

/** Durable requests, their queue, logs and usage. Every adapter passes `test/store/conformance.ts`. */
export interface RequestStore extends KeyStore, WebhookOutbox, FileRetention, WorkerRegistry {
  /**
   * Resolves once the store is usable (reachable, schema migrated); rejects with the reason it is
   * not. Other calls wait for it themselves: processes await it to fail at start rather than later.
   */
  ready(): Promise<void>;
  /**
   * Commits the request; when this resolves, the request survives any crash. With an
   * `idempotencyKey` already used by the same API key, resolves to that first request instead (a
   * record with another id) or rejects with IdempotencyConflictError when the input differs. When
   * the request's price does not fit in its key's budget (usage + open reservations), rejects with
   * BudgetExceededError. Budget and idempotency checks and the insert are one transaction.
   */
  enqueue(request: NewRequest): Promise<RequestRecord>;
  get(id: string): Promise<RequestRecord | undefined>;
  /** Requests ahead of this one (0-based), or null when it is not queued. */
  queuePosition(id: string): Promise<number | null>;
  /**
   * Takes the next request for a worker: first ends requests whose leases ran out `maxAttempts`
   * times and those past their start deadline, then leases the oldest queued request of the
   * highest priority (a request with an expired lease counts as queued), among `endpointIds` when
   * given. Instances on one database never lease the same request twice.
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
  /** Requests by status and outcome (`pending`, `ok` or the error type), for metrics. */
  countRequests(): Promise<{ status: RequestStatus; outcome: string; count: number }[]>;
  /**
   * Called with a request id after each change made through this instance, synchronously once the
   * write has committed. The PostgreSQL adapter also reports the changes other instances make, as
   * it hears of them (LISTEN/NOTIFY); SQLite does not, and a reader that must see another
   * process's writes there polls (as jobs/watch.ts does).
   */
  onChange(listener: (id: string) => void): () => void;
  close(): Promise<void>;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** Hex SHA-256 of the secret: secrets are random, so a fast hash is enough and keeps auth cheap. */
  secretHash: string;
  admin: boolean;
  /** Null: no limit. */
  budgetUsd: number | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface KeyUsage {
  keyId: string | null;
  requests: number;
  seconds: number;
  costUsd: number;
  /** Price of this key's requests that have not ended yet. */
  reservedUsd: number;
}

export interface KeyStore {
  createKey(key: Omit<ApiKeyRecord, "revokedAt">): Promise<void>;
  findKey(id: string): Promise<ApiKeyRecord | undefined>;
  listKeys(): Promise<ApiKeyRecord[]>;
  /** False when there is no such key or it was already revoked. */
  revokeKey(id: string, now: number): Promise<boolean>;
  /** Usage per key (the one key when `keyId` is given; `null` is local mode's requests). */
  usageByKey(keyId?: string | null): Promise<KeyUsage[]>;
}

export interface DueWebhook {
  requestId: string;
  url: string;
  /** Attempts made before this one. */
  attempts: number;
}

/** The webhook outbox: deliveries of requests that ended, claimed with a lease like requests. */
export interface WebhookOutbox {
  claimWebhooks(options: {
    workerId: string;
    leaseMs: number;
    now: number;
    limit: number;
  }): Promise<DueWebhook[]>;
  webhookDelivered(requestId: string, workerId: string, now: number): Promise<void>;
  /** Schedules another attempt at `retryAt`, or gives up when `retryAt` is null. */
  webhookFailed(
    requestId: string,
    workerId: string,
    error: string,
    retryAt: number | null,
    now: number,
  ): Promise<void>;
  webhookState(
    requestId: string,
  ): Promise<
    | { attempts: number; deliveredAt: number | null; failedAt: number | null; lastError: string | null }
    | undefined
  >;
  /**
   * The signing key pair of this deployment, made by `create` on first use and then shared by every
   * process on the store.
   */
  signingKey(create: () => SigningKey): Promise<SigningKey>;
}

export interface FileRetention {
  /** Completed requests whose files are past their expiry and not yet deleted. */
  expiredFiles(now: number, limit: number): Promise<string[]>;
  markFilesDeleted(id: string, now: number): Promise<void>;
}

/** A worker process as it announced itself. */
export interface WorkerRecord {
  id: string;
  host: string;
  pid: number;
  /** Names of the engines it runs. */
  engines: string[];
  /** The endpoints it claims requests for. */
  endpointIds: string[];
  concurrency: number;
  /** Where it answers `/healthz` and `/metrics`; null when it serves no port of its own. */
  healthUrl: string | null;
  /** How often it renews its row: a row older than a few intervals belongs to a lost worker. */
  heartbeatIntervalMs: number;
  startedAt: number;
  heartbeatAt: number;
}

/** Who is working: rows written by the workers themselves, read by `/healthz`. */
export interface WorkerRegistry {
  /** Records a worker, or replaces its row (a worker whose row was forgotten announces again). */
  announceWorker(worker: WorkerRecord): Promise<void>;
  /** Renews the row; false when there is none (forgotten or retired). */
  workerHeartbeat(id: string, now: number): Promise<boolean>;
  /** Removes the row of a worker that stops. */
  retireWorker(id: string): Promise<void>;
  /** Every recorded worker, oldest start first. */
  listWorkers(): Promise<WorkerRecord[]>;
  /** Removes the rows not renewed since `before` (workers that crashed); returns their ids. */
  forgetWorkers(before: number): Promise<string[]>;
}

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  /** JSON Web Key of the public half. */
  publicJwk: Record<string, string>;
}
