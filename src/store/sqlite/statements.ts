import type { Database, Statement } from "better-sqlite3";
import type { Priority } from "../../contract/queue.ts";
import { REQUEST_COLUMNS } from "../rows.ts";
import type { LogRow, RequestRow, UsageDbRow } from "../rows.ts";

/**
 * Every statement the SQLite store runs, prepared once per connection: preparing is the costly part
 * of a small query, and submits and status reads must stay close to the cost of a trivial route.
 */

interface InsertParams {
  id: string;
  endpointId: string;
  input: string;
  priority: Priority;
  startDeadline: number | null;
  billableSeconds: number;
  pricePerSecond: number;
  createdAt: number;
  keyId: string | null;
  idempotencyKey: string | null;
  webhookUrl: string | null;
  origin: string | null;
  retentionSeconds: number;
}

interface EndParams {
  now: number;
  error: string;
}

interface LeaseParams {
  id: string;
  workerId: string;
}

interface CompleteParams extends LeaseParams {
  now: number;
  result: string | null;
  error: string | null;
  metrics: string | null;
}

export interface Statements {
  insert: Statement<[InsertParams]>;
  get: Statement<[string], RequestRow>;
  queuePosition: Statement<[string], { ahead: number }>;
  expireDeadlines: Statement<[EndParams], { id: string }>;
  failLostLeases: Statement<[EndParams & { maxAttempts: number }], { id: string }>;
  requeueLostLeases: Statement<[{ now: number; maxAttempts: number }], { id: string }>;
  claimNext: Statement<
    [{ workerId: string; now: number; leaseExpiresAt: number; endpoints: string | null }],
    RequestRow
  >;
  heartbeat: Statement<[LeaseParams & { leaseExpiresAt: number }]>;
  release: Statement<[LeaseParams]>;
  retry: Statement<[LeaseParams & { notBefore: number }]>;
  setProgress: Statement<[LeaseParams & { progress: number }]>;
  appendLog: Statement<[{ requestId: string; message: string; level: string; timestamp: string }]>;
  logs: Statement<[string, number], LogRow>;
  complete: Statement<
    [CompleteParams],
    { endpoint_id: string; billable_seconds: number; price_per_second: number; key_id: string | null }
  >;
  insertUsage: Statement<[UsageDbRow]>;
  cancel: Statement<[EndParams & { id: string }]>;
  status: Statement<[string], { status: string }>;
  usage: Statement<[], UsageDbRow>;
}

/** Conditions that say "this worker holds the lease", shared by every lease-guarded write. */
const HELD = "id = @id AND status = 'IN_PROGRESS' AND lease_owner = @workerId";

export function prepareStatements(db: Database): Statements {
  return {
    insert: db.prepare(`INSERT INTO requests (id, endpoint_id, input, priority, status, start_deadline,
        billable_seconds, price_per_second, created_at, key_id, idempotency_key, webhook_url, origin,
        retention_seconds)
      VALUES (@id, @endpointId, @input, @priority, 'IN_QUEUE', @startDeadline, @billableSeconds,
        @pricePerSecond, @createdAt, @keyId, @idempotencyKey, @webhookUrl, @origin, @retentionSeconds)`),
    get: db.prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE id = ?`),
    // Two index range scans (higher priority; same priority, earlier arrival): an exact count that
    // costs about one index entry per request ahead.
    queuePosition: db.prepare(`SELECT
        (SELECT COUNT(*) FROM requests AS a
          WHERE a.status = 'IN_QUEUE' AND a.priority_rank < r.priority_rank)
        + (SELECT COUNT(*) FROM requests AS a
          WHERE a.status = 'IN_QUEUE' AND a.priority_rank = r.priority_rank AND a.seq < r.seq) AS ahead
      FROM requests AS r WHERE r.id = ? AND r.status = 'IN_QUEUE'`),
    // attempts = 0: the deadline is for starting; a request put back after it started keeps running.
    expireDeadlines: db.prepare(`UPDATE requests
      SET status = 'COMPLETED', error = @error, completed_at = @now
      WHERE status = 'IN_QUEUE' AND start_deadline IS NOT NULL AND start_deadline < @now AND attempts = 0
      RETURNING id`),
    failLostLeases: db.prepare(`UPDATE requests
      SET status = 'COMPLETED', error = @error, completed_at = @now, lease_owner = NULL,
        lease_expires_at = NULL
      WHERE status = 'IN_PROGRESS' AND lease_expires_at <= @now AND attempts >= @maxAttempts
      RETURNING id`),
    // Back in the queue with its original seq, so it runs before everything that arrived later.
    requeueLostLeases: db.prepare(`UPDATE requests
      SET status = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL,
        progress = NULL
      WHERE status = 'IN_PROGRESS' AND lease_expires_at <= @now AND attempts < @maxAttempts
      RETURNING id`),
    // Walks the queue index in order; requests waiting out a retry backoff, and those for endpoints
    // the worker does not serve (@endpoints: a JSON array, or NULL for any), are stepped over.
    claimNext: db.prepare(`UPDATE requests
      SET status = 'IN_PROGRESS', lease_owner = @workerId, lease_expires_at = @leaseExpiresAt,
        attempts = attempts + 1, started_at = @now, progress = 0, not_before = NULL
      WHERE seq = (
        SELECT seq FROM requests
        WHERE status = 'IN_QUEUE' AND (not_before IS NULL OR not_before <= @now)
          AND (@endpoints IS NULL OR endpoint_id IN (SELECT value FROM json_each(@endpoints)))
        ORDER BY priority_rank, seq LIMIT 1
      )
      RETURNING ${REQUEST_COLUMNS}`),
    heartbeat: db.prepare(`UPDATE requests SET lease_expires_at = @leaseExpiresAt WHERE ${HELD}`),
    release: db.prepare(`UPDATE requests
      SET status = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, attempts = MAX(attempts - 1, 0),
        started_at = NULL, progress = NULL
      WHERE ${HELD}`),
    // Unlike release, the failed attempt stays counted.
    retry: db.prepare(`UPDATE requests
      SET status = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL,
        progress = NULL, not_before = @notBefore
      WHERE ${HELD}`),
    setProgress: db.prepare(`UPDATE requests SET progress = @progress WHERE ${HELD}`),
    appendLog: db.prepare(`INSERT INTO request_logs (request_id, message, level, timestamp)
      VALUES (@requestId, @message, @level, @timestamp)`),
    logs: db.prepare(`SELECT seq, message, level, timestamp FROM request_logs
      WHERE request_id = ? AND seq > ? ORDER BY seq`),
    complete: db.prepare(`UPDATE requests
      SET status = 'COMPLETED', completed_at = @now, result = @result, error = @error, metrics = @metrics,
        lease_owner = NULL, lease_expires_at = NULL,
        progress = CASE WHEN @error IS NULL THEN 1 ELSE progress END,
        files_expire_at = CASE WHEN @error IS NULL THEN @now + retention_seconds * 1000 END
      WHERE ${HELD}
      RETURNING endpoint_id, billable_seconds, price_per_second, key_id`),
    insertUsage: db.prepare(`INSERT INTO usage (request_id, key_id, endpoint_id, seconds, price_per_second,
        cost_usd, created_at)
      VALUES (@request_id, @key_id, @endpoint_id, @seconds, @price_per_second, @cost_usd, @created_at)`),
    cancel: db.prepare(`UPDATE requests
      SET status = 'COMPLETED', error = @error, completed_at = @now, lease_owner = NULL,
        lease_expires_at = NULL
      WHERE id = @id AND status <> 'COMPLETED'`),
    status: db.prepare(`SELECT status FROM requests WHERE id = ?`),
    usage: db.prepare(`SELECT request_id, key_id, endpoint_id, seconds, price_per_second, cost_usd, created_at
      FROM usage ORDER BY created_at, rowid`),
  };
}
