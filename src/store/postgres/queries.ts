import { REQUEST_COLUMNS } from "../rows.ts";

/**
 * The SQL of the PostgreSQL store's request side, with the same conditions as SQLite's
 * statements.ts. Parameters are cast where PostgreSQL could not infer their type.
 *
 * Rows are picked with `FOR UPDATE SKIP LOCKED`: a claimer never waits for another, and never
 * takes a row that another is taking.
 */

/** "This worker holds the lease": $1 id, $2 worker id. */
const HELD = "id = $1 AND status = 'IN_PROGRESS' AND lease_owner = $2";

export const INSERT_REQUEST = `INSERT INTO requests (id, endpoint_id, input, priority, status, start_deadline,
    billable_seconds, price_per_second, created_at, key_id, idempotency_key, webhook_url, origin,
    retention_seconds)
  VALUES ($1, $2, $3, $4, 'IN_QUEUE', $5, $6, $7, $8, $9, $10, $11, $12, $13)
  ON CONFLICT DO NOTHING
  RETURNING seq`;

export const GET_REQUEST = `SELECT ${REQUEST_COLUMNS} FROM requests WHERE id = $1`;

export const QUEUE_POSITION = `SELECT
    (SELECT COUNT(*) FROM requests AS a
      WHERE a.status = 'IN_QUEUE' AND a.priority_rank < r.priority_rank)
    + (SELECT COUNT(*) FROM requests AS a
      WHERE a.status = 'IN_QUEUE' AND a.priority_rank = r.priority_rank AND a.seq < r.seq) AS ahead
  FROM requests AS r WHERE r.id = $1 AND r.status = 'IN_QUEUE'`;

/** $1 now, $2 error. attempts = 0: the deadline is for starting. */
const OVERDUE = `UPDATE requests SET status = 'COMPLETED', error = $2, completed_at = $1::bigint
    WHERE seq IN (SELECT seq FROM requests
      WHERE status = 'IN_QUEUE' AND start_deadline IS NOT NULL AND start_deadline < $1::bigint
        AND attempts = 0
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;

export const EXPIRE_OVERDUE = OVERDUE;

/**
 * Before each claim: ends overdue requests and those whose leases ran out `maxAttempts` times, and
 * puts the other lost leases back in the queue with their original seq.
 * $1 now, $2 timeout error, $3 worker-lost error, $4 max attempts.
 */
export const END_OR_REQUEUE = `WITH overdue AS (${OVERDUE}),
  lost AS (
    UPDATE requests SET status = 'COMPLETED', error = $3, completed_at = $1::bigint, lease_owner = NULL,
      lease_expires_at = NULL
    WHERE seq IN (SELECT seq FROM requests
      WHERE status = 'IN_PROGRESS' AND lease_expires_at <= $1::bigint AND attempts >= $4::integer
      FOR UPDATE SKIP LOCKED)
    RETURNING id),
  requeued AS (
    UPDATE requests SET status = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL,
      progress = NULL
    WHERE seq IN (SELECT seq FROM requests
      WHERE status = 'IN_PROGRESS' AND lease_expires_at <= $1::bigint AND attempts < $4::integer
      FOR UPDATE SKIP LOCKED)
    RETURNING id)
  SELECT id FROM overdue UNION ALL SELECT id FROM lost UNION ALL SELECT id FROM requeued`;

/** $1 worker, $2 now, $3 lease expiry, $4 endpoint ids (NULL: any). */
export const CLAIM_NEXT = `UPDATE requests
  SET status = 'IN_PROGRESS', lease_owner = $1, lease_expires_at = $3::bigint, attempts = attempts + 1,
    started_at = $2::bigint, progress = 0, not_before = NULL
  WHERE seq = (
    SELECT seq FROM requests
    WHERE status = 'IN_QUEUE' AND (not_before IS NULL OR not_before <= $2::bigint)
      AND ($4::text[] IS NULL OR endpoint_id = ANY ($4::text[]))
    ORDER BY priority_rank, seq LIMIT 1
    FOR UPDATE SKIP LOCKED
  )
  RETURNING ${REQUEST_COLUMNS}`;

/** $3 lease expiry. */
export const HEARTBEAT = `UPDATE requests SET lease_expires_at = $3::bigint WHERE ${HELD}`;

export const RELEASE = `UPDATE requests
  SET status = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, attempts = GREATEST(attempts - 1, 0),
    started_at = NULL, progress = NULL
  WHERE ${HELD}`;

/** $3 not before. Unlike release, the failed attempt stays counted. */
export const RETRY = `UPDATE requests
  SET status = 'IN_QUEUE', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, progress = NULL,
    not_before = $3::bigint
  WHERE ${HELD}`;

/** $3 progress. */
export const SET_PROGRESS = `UPDATE requests SET progress = $3 WHERE ${HELD}`;

export const APPEND_LOG = `INSERT INTO request_logs (request_id, message, level, "timestamp")
  VALUES ($1, $2, $3, $4)`;

export const LOGS = `SELECT seq, message, level, "timestamp" FROM request_logs
  WHERE request_id = $1 AND seq > $2 ORDER BY seq`;

/**
 * Ends the request held by the worker and bills a result in the same statement (one implicit
 * transaction). The cost is rounded to a millionth of a dollar, as priceOf does.
 * $3 now, $4 result, $5 error, $6 metrics. Answers the number of requests completed (0 or 1).
 */
export const COMPLETE = `WITH done AS (
    UPDATE requests
    SET status = 'COMPLETED', completed_at = $3::bigint, result = $4, error = $5::text, metrics = $6,
      lease_owner = NULL, lease_expires_at = NULL,
      progress = CASE WHEN $5::text IS NULL THEN 1 ELSE progress END,
      files_expire_at = CASE WHEN $5::text IS NULL THEN $3::bigint + retention_seconds * 1000 END
    WHERE ${HELD}
    RETURNING id, key_id, endpoint_id, billable_seconds, price_per_second),
  billed AS (
    INSERT INTO usage (request_id, key_id, endpoint_id, seconds, price_per_second, cost_usd, created_at)
    SELECT id, key_id, endpoint_id, billable_seconds, price_per_second,
      round(billable_seconds::numeric * price_per_second::numeric, 6)::double precision, $3::bigint
    FROM done WHERE $5::text IS NULL
    RETURNING request_id)
  SELECT (SELECT COUNT(*) FROM done) AS completed, (SELECT COUNT(*) FROM billed) AS billed`;

/** Whether a request ended exactly as a complete or cancel at `$2` asked (a cut-off commit that went through). */
export const ENDED_AS_ASKED = `SELECT 1 FROM requests
  WHERE id = $1 AND status = 'COMPLETED' AND completed_at = $2::bigint
    AND result IS NOT DISTINCT FROM $3::text AND error IS NOT DISTINCT FROM $4::text`;

/** $2 now, $3 error. */
export const CANCEL = `UPDATE requests
  SET status = 'COMPLETED', error = $3, completed_at = $2::bigint, lease_owner = NULL, lease_expires_at = NULL
  WHERE id = $1 AND status <> 'COMPLETED'`;

export const STATUS = `SELECT status FROM requests WHERE id = $1`;

export const USAGE = `SELECT request_id, key_id, endpoint_id, seconds, price_per_second, cost_usd, created_at
  FROM usage ORDER BY created_at, seq`;
