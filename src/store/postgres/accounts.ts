import type pg from "pg";
import { keyUsage, refuseOverBudget } from "../accounting.ts";
import type { BudgetState, ReservedSum, UsageSum } from "../accounting.ts";
import { IdempotencyConflictError } from "../port.ts";
import type {
  FileRetention,
  KeyStore,
  NewRequest,
  RequestRecord,
  RequestStore,
  WebhookOutbox,
  WorkerRegistry,
} from "../port.ts";
import {
  REQUEST_COLUMNS,
  toApiKey,
  toJson,
  toRecord,
  toWorker,
  toWorkerRow,
  WORKER_COLUMNS,
} from "../rows.ts";
import type { ApiKeyRow, RequestRow, WorkerRow } from "../rows.ts";

/** Keys, budgets, idempotency, the webhook outbox, retention and the worker registry on PostgreSQL. */

/** Runs a query on the pool, retrying while the server is unreachable (see connection.ts). */
export type Run = <R extends pg.QueryResultRow>(
  text: string,
  values?: unknown[],
) => Promise<pg.QueryResult<R>>;

/** Locks the keys of a batch of submits, in one order so that two batches never deadlock. */
export const LOCK_KEYS = `SELECT id FROM api_keys WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE`;

const FIND_IDEMPOTENT = `SELECT ${REQUEST_COLUMNS} FROM requests
  WHERE COALESCE(key_id, '') = COALESCE($1, '') AND idempotency_key = $2`;

// What is left of a budget is derived, never stored: usage rows plus open requests' prices.
const BUDGET_STATE = `SELECT budget_usd AS budget,
    (SELECT COALESCE(SUM(cost_usd), 0) FROM usage WHERE key_id = $1) AS spent,
    (SELECT COALESCE(SUM(billable_seconds * price_per_second), 0) FROM requests
      WHERE key_id = $1 AND status <> 'COMPLETED') AS reserved
  FROM api_keys WHERE id = $1`;

/**
 * Inside a submit transaction (the key's row locked), before the INSERT: returns the first request
 * of a repeated `Idempotency-Key`, refuses a conflicting one, and refuses a price over the budget.
 */
export async function admitRequest(
  client: pg.ClientBase,
  request: NewRequest,
): Promise<RequestRecord | undefined> {
  if (request.idempotencyKey !== null) {
    const { rows } = await client.query<RequestRow>(FIND_IDEMPOTENT, [request.keyId, request.idempotencyKey]);
    const first = rows[0];
    if (first) {
      if (first.input !== toJson(request.input)) throw new IdempotencyConflictError(first.id);
      return toRecord(first);
    }
  }
  if (request.keyId !== null) {
    const { rows } = await client.query<BudgetState>(BUDGET_STATE, [request.keyId]);
    refuseOverBudget(rows[0], request);
  }
  return undefined;
}

const HELD_DELIVERY = "request_id = $1 AND lease_owner = $2";

export function accountMethods(
  run: Run,
  emit: (id: string) => void,
): KeyStore & WebhookOutbox & FileRetention & Pick<RequestStore, "countRequests"> {
  return {
    async createKey(key) {
      await run(
        `INSERT INTO api_keys (id, name, secret_hash, admin, budget_usd, created_at, revoked_at)
          VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
        [key.id, key.name, key.secretHash, key.admin, key.budgetUsd, key.createdAt],
      );
    },
    async findKey(id) {
      const { rows } = await run<ApiKeyRow>(`SELECT * FROM api_keys WHERE id = $1`, [id]);
      return rows[0] && toApiKey(rows[0]);
    },
    async listKeys() {
      const { rows } = await run<ApiKeyRow>(`SELECT * FROM api_keys ORDER BY created_at, id`);
      return rows.map(toApiKey);
    },
    async revokeKey(id, now) {
      const result = await run(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [
        id,
        now,
      ]);
      return result.rowCount === 1;
    },
    async usageByKey(keyId) {
      const [usage, reserved] = await Promise.all([
        run<UsageSum>(`SELECT key_id, COUNT(*) AS requests, SUM(seconds) AS seconds, SUM(cost_usd) AS cost
          FROM usage GROUP BY key_id`),
        run<ReservedSum>(`SELECT key_id, SUM(billable_seconds * price_per_second) AS reserved
          FROM requests WHERE status <> 'COMPLETED' GROUP BY key_id`),
      ]);
      return keyUsage(usage.rows, reserved.rows, keyId);
    },

    async claimWebhooks({ workerId, leaseMs, now, limit }) {
      const { rows } = await run<{ request_id: string; url: string; attempts: number }>(
        `UPDATE webhook_deliveries SET lease_owner = $1, lease_expires_at = $2::bigint
        WHERE request_id IN (
          SELECT request_id FROM webhook_deliveries
          WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3::bigint
            AND (lease_expires_at IS NULL OR lease_expires_at <= $3::bigint)
          ORDER BY next_attempt_at LIMIT $4
          FOR UPDATE SKIP LOCKED)
        RETURNING request_id, url, attempts`,
        [workerId, now + leaseMs, now, limit],
      );
      return rows.map((row) => ({ requestId: row.request_id, url: row.url, attempts: row.attempts }));
    },
    async webhookDelivered(requestId, workerId, now) {
      await run(
        `UPDATE webhook_deliveries
        SET delivered_at = $3, attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL
        WHERE ${HELD_DELIVERY}`,
        [requestId, workerId, now],
      );
      emit(requestId);
    },
    async webhookFailed(requestId, workerId, error, retryAt, now) {
      await run(
        `UPDATE webhook_deliveries
        SET attempts = attempts + 1, last_error = $4, next_attempt_at = COALESCE($5::bigint, next_attempt_at),
          failed_at = CASE WHEN $5::bigint IS NULL THEN $3::bigint END, lease_owner = NULL,
          lease_expires_at = NULL
        WHERE ${HELD_DELIVERY}`,
        [requestId, workerId, now, error, retryAt],
      );
      emit(requestId);
    },
    async webhookState(requestId) {
      const { rows } = await run<{
        attempts: number;
        delivered_at: number | null;
        failed_at: number | null;
        last_error: string | null;
      }>(
        `SELECT attempts, delivered_at, failed_at, last_error FROM webhook_deliveries WHERE request_id = $1`,
        [requestId],
      );
      const row = rows[0];
      return (
        row && {
          attempts: row.attempts,
          deliveredAt: row.delivered_at,
          failedAt: row.failed_at,
          lastError: row.last_error,
        }
      );
    },
    async signingKey(create) {
      const first = () =>
        run<{ kid: string; private_key_pem: string; public_jwk: string }>(
          `SELECT kid, private_key_pem, public_jwk FROM signing_keys ORDER BY created_at, kid LIMIT 1`,
        );
      let row = (await first()).rows[0];
      if (!row) {
        const made = create();
        // Two processes may make one each at once: the first row stays the deployment's key.
        await run(
          `INSERT INTO signing_keys (kid, private_key_pem, public_jwk, created_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT DO NOTHING`,
          [made.kid, made.privateKeyPem, JSON.stringify(made.publicJwk), Date.now()],
        );
        row = (await first()).rows[0];
      }
      if (!row) throw new Error("could not store the signing key");
      return {
        kid: row.kid,
        privateKeyPem: row.private_key_pem,
        publicJwk: JSON.parse(row.public_jwk) as Record<string, string>,
      };
    },

    async expiredFiles(now, limit) {
      const { rows } = await run<{ id: string }>(
        `SELECT id FROM requests
        WHERE files_expire_at IS NOT NULL AND files_deleted_at IS NULL AND files_expire_at <= $1
        ORDER BY files_expire_at LIMIT $2`,
        [now, limit],
      );
      return rows.map((row) => row.id);
    },
    async markFilesDeleted(id, now) {
      // The first deletion time is the one kept.
      await run(`UPDATE requests SET files_deleted_at = $2 WHERE id = $1 AND files_deleted_at IS NULL`, [
        id,
        now,
      ]);
      emit(id);
    },
    async countRequests() {
      const { rows } = await run<{
        status: "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED";
        outcome: string;
        count: number;
      }>(
        `SELECT status,
          CASE WHEN status <> 'COMPLETED' THEN 'pending'
            WHEN error IS NULL THEN 'ok'
            ELSE COALESCE(error::jsonb ->> 'type', 'error') END AS outcome,
          COUNT(*) AS count
        FROM requests GROUP BY 1, 2`,
      );
      return rows;
    },
  };
}

export function workerMethods(run: Run): WorkerRegistry {
  return {
    async announceWorker(worker) {
      const row = toWorkerRow(worker);
      await run(
        `INSERT INTO workers (${WORKER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, engines = EXCLUDED.engines,
          endpoint_ids = EXCLUDED.endpoint_ids, concurrency = EXCLUDED.concurrency,
          health_url = EXCLUDED.health_url, heartbeat_interval_ms = EXCLUDED.heartbeat_interval_ms,
          started_at = EXCLUDED.started_at, heartbeat_at = EXCLUDED.heartbeat_at`,
        [
          row.id,
          row.host,
          row.pid,
          row.engines,
          row.endpoint_ids,
          row.concurrency,
          row.health_url,
          row.heartbeat_interval_ms,
          row.started_at,
          row.heartbeat_at,
        ],
      );
    },
    async workerHeartbeat(id, now) {
      return (await run(`UPDATE workers SET heartbeat_at = $2 WHERE id = $1`, [id, now])).rowCount === 1;
    },
    async retireWorker(id) {
      await run(`DELETE FROM workers WHERE id = $1`, [id]);
    },
    async listWorkers() {
      const { rows } = await run<WorkerRow>(`SELECT ${WORKER_COLUMNS} FROM workers ORDER BY started_at, id`);
      return rows.map(toWorker);
    },
    async forgetWorkers(before) {
      const { rows } = await run<{ id: string }>(`DELETE FROM workers WHERE heartbeat_at < $1 RETURNING id`, [
        before,
      ]);
      return rows.map((row) => row.id);
    },
  };
}
