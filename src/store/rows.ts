import type { LogEntry, LogLevel, Priority, RequestMetrics, RequestStatus } from "../contract/queue.ts";
import type {
  ApiKeyRecord,
  NewRequest,
  RequestError,
  RequestRecord,
  StoredLog,
  UsageRow,
  WorkerRecord,
} from "./port.ts";

/**
 * Rows as the SQL adapters return them, and their mapping to the port's records. Both dialects
 * have the same columns with the same JavaScript types (PostgreSQL's BIGINTs are read as numbers),
 * and keep JSON as text, so that a stored input reads back exactly as it was written.
 */

/** The columns of `requests` a record is read from, in SELECT and RETURNING clauses alike. */
export const REQUEST_COLUMNS = `id, seq, endpoint_id, input, priority, status, attempts, lease_owner,
  lease_expires_at, start_deadline, billable_seconds, price_per_second, created_at, started_at,
  completed_at, progress, result, error, metrics, key_id, idempotency_key, webhook_url, origin,
  retention_seconds, files_expire_at, files_deleted_at`;

export interface RequestRow {
  id: string;
  seq: number;
  endpoint_id: string;
  input: string;
  priority: Priority;
  status: RequestStatus;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  start_deadline: number | null;
  billable_seconds: number;
  price_per_second: number;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  progress: number | null;
  result: string | null;
  error: string | null;
  metrics: string | null;
  key_id: string | null;
  idempotency_key: string | null;
  webhook_url: string | null;
  origin: string | null;
  retention_seconds: number;
  files_expire_at: number | null;
  files_deleted_at: number | null;
}

export interface LogRow {
  seq: number;
  message: string;
  level: LogLevel;
  timestamp: string;
}

export interface UsageDbRow {
  request_id: string;
  key_id: string | null;
  endpoint_id: string;
  seconds: number;
  price_per_second: number;
  cost_usd: number;
  created_at: number;
}

/** JSON for a TEXT column; `undefined` is stored as JSON null so that every value round-trips. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toRecord(row: RequestRow): RequestRecord {
  return {
    id: row.id,
    seq: row.seq,
    endpointId: row.endpoint_id,
    input: JSON.parse(row.input) as unknown,
    priority: row.priority,
    status: row.status,
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    startDeadline: row.start_deadline,
    billableSeconds: row.billable_seconds,
    pricePerSecond: row.price_per_second,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    progress: row.progress,
    result: parseJson<unknown>(row.result),
    error: parseJson<RequestError>(row.error),
    metrics: parseJson<RequestMetrics>(row.metrics),
    keyId: row.key_id,
    idempotencyKey: row.idempotency_key,
    webhookUrl: row.webhook_url,
    origin: row.origin,
    retentionSeconds: row.retention_seconds,
    filesExpireAt: row.files_expire_at,
    filesDeletedAt: row.files_deleted_at,
  };
}

/** The record of a request just inserted, built from what was written rather than read back. */
export function queuedRecord(request: NewRequest, seq: number): RequestRecord {
  return {
    ...request,
    seq,
    status: "IN_QUEUE",
    attempts: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    startedAt: null,
    completedAt: null,
    progress: null,
    result: null,
    error: null,
    metrics: null,
    filesExpireAt: null,
    filesDeletedAt: null,
  };
}

export function toStoredLog(row: LogRow): StoredLog {
  const entry: LogEntry = {
    message: row.message,
    level: row.level,
    source: "USER",
    timestamp: row.timestamp,
  };
  return { seq: row.seq, entry };
}

export function toUsageRow(row: UsageDbRow): UsageRow {
  return {
    requestId: row.request_id,
    keyId: row.key_id,
    endpointId: row.endpoint_id,
    seconds: row.seconds,
    pricePerSecond: row.price_per_second,
    costUsd: row.cost_usd,
    createdAt: row.created_at,
  };
}

export interface ApiKeyRow {
  id: string;
  name: string;
  secret_hash: string;
  /** INTEGER 0/1 in SQLite, BOOLEAN in PostgreSQL. */
  admin: number | boolean;
  budget_usd: number | null;
  created_at: number;
  revoked_at: number | null;
}

export function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    admin: row.admin === 1 || row.admin === true,
    budgetUsd: row.budget_usd,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  engines: string;
  endpoint_ids: string;
  concurrency: number;
  health_url: string | null;
  heartbeat_interval_ms: number;
  started_at: number;
  heartbeat_at: number;
}

export const WORKER_COLUMNS = `id, host, pid, engines, endpoint_ids, concurrency, health_url,
  heartbeat_interval_ms, started_at, heartbeat_at`;

export function toWorkerRow(worker: WorkerRecord): WorkerRow {
  return {
    id: worker.id,
    host: worker.host,
    pid: worker.pid,
    engines: JSON.stringify(worker.engines),
    endpoint_ids: JSON.stringify(worker.endpointIds),
    concurrency: worker.concurrency,
    health_url: worker.healthUrl,
    heartbeat_interval_ms: worker.heartbeatIntervalMs,
    started_at: worker.startedAt,
    heartbeat_at: worker.heartbeatAt,
  };
}

export function toWorker(row: WorkerRow): WorkerRecord {
  return {
    id: row.id,
    host: row.host,
    pid: row.pid,
    engines: JSON.parse(row.engines) as string[],
    endpointIds: JSON.parse(row.endpoint_ids) as string[],
    concurrency: row.concurrency,
    healthUrl: row.health_url,
    heartbeatIntervalMs: row.heartbeat_interval_ms,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
  };
}
