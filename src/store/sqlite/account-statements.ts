import type { Database, Statement } from "better-sqlite3";
import type { RequestStatus } from "../../contract/queue.ts";
import type { ApiKeyRow, RequestRow } from "../rows.ts";
import { REQUEST_COLUMNS } from "../rows.ts";

/** Statements of the accounts side of the store: keys, budgets, idempotency, outbox, retention. */
export interface AccountStatements {
  findIdempotent: Statement<[{ keyId: string | null; idempotencyKey: string }], RequestRow>;
  budgetState: Statement<[{ keyId: string }], { budget: number | null; spent: number; reserved: number }>;
  createKey: Statement<[ApiKeyRow]>;
  findKey: Statement<[string], ApiKeyRow>;
  listKeys: Statement<[], ApiKeyRow>;
  revokeKey: Statement<[{ id: string; now: number }]>;
  usageByKey: Statement<[], { key_id: string | null; requests: number; seconds: number; cost: number }>;
  reservedByKey: Statement<[], { key_id: string | null; reserved: number }>;
  claimWebhooks: Statement<
    [{ workerId: string; leaseUntil: number; now: number; limit: number }],
    { request_id: string; url: string; attempts: number }
  >;
  webhookDelivered: Statement<[{ id: string; workerId: string; now: number }]>;
  webhookFailed: Statement<
    [{ id: string; workerId: string; now: number; error: string; retryAt: number | null }]
  >;
  webhookState: Statement<
    [string],
    { attempts: number; delivered_at: number | null; failed_at: number | null; last_error: string | null }
  >;
  expiredFiles: Statement<[{ now: number; limit: number }], { id: string }>;
  markFilesDeleted: Statement<[{ id: string; now: number }]>;
  countRequests: Statement<[], { status: RequestStatus; outcome: string; count: number }>;
  firstSigningKey: Statement<[], { kid: string; private_key_pem: string; public_jwk: string }>;
  insertSigningKey: Statement<[{ kid: string; pem: string; jwk: string; now: number }]>;
}

const HELD_DELIVERY = "request_id = @id AND lease_owner = @workerId";

export function prepareAccountStatements(db: Database): AccountStatements {
  return {
    findIdempotent: db.prepare(`SELECT ${REQUEST_COLUMNS} FROM requests
      WHERE key_id IS @keyId AND idempotency_key = @idempotencyKey`),
    // What is left of a budget is derived, never stored: usage rows plus open requests' prices.
    budgetState: db.prepare(`SELECT budget_usd AS budget,
        (SELECT IFNULL(SUM(cost_usd), 0) FROM usage WHERE key_id = @keyId) AS spent,
        (SELECT IFNULL(SUM(billable_seconds * price_per_second), 0) FROM requests
          WHERE key_id = @keyId AND status <> 'COMPLETED') AS reserved
      FROM api_keys WHERE id = @keyId`),
    createKey:
      db.prepare(`INSERT INTO api_keys (id, name, secret_hash, admin, budget_usd, created_at, revoked_at)
      VALUES (@id, @name, @secret_hash, @admin, @budget_usd, @created_at, @revoked_at)`),
    findKey: db.prepare(`SELECT * FROM api_keys WHERE id = ?`),
    listKeys: db.prepare(`SELECT * FROM api_keys ORDER BY created_at, id`),
    revokeKey: db.prepare(`UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL`),
    usageByKey:
      db.prepare(`SELECT key_id, COUNT(*) AS requests, SUM(seconds) AS seconds, SUM(cost_usd) AS cost
      FROM usage GROUP BY key_id`),
    reservedByKey: db.prepare(`SELECT key_id, SUM(billable_seconds * price_per_second) AS reserved
      FROM requests WHERE status <> 'COMPLETED' GROUP BY key_id`),
    claimWebhooks:
      db.prepare(`UPDATE webhook_deliveries SET lease_owner = @workerId, lease_expires_at = @leaseUntil
      WHERE request_id IN (
        SELECT request_id FROM webhook_deliveries
        WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= @now
          AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
        ORDER BY next_attempt_at LIMIT @limit
      )
      RETURNING request_id, url, attempts`),
    webhookDelivered: db.prepare(`UPDATE webhook_deliveries
      SET delivered_at = @now, attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL
      WHERE ${HELD_DELIVERY}`),
    webhookFailed: db.prepare(`UPDATE webhook_deliveries
      SET attempts = attempts + 1, last_error = @error, next_attempt_at = COALESCE(@retryAt, next_attempt_at),
        failed_at = CASE WHEN @retryAt IS NULL THEN @now END, lease_owner = NULL, lease_expires_at = NULL
      WHERE ${HELD_DELIVERY}`),
    webhookState: db.prepare(`SELECT attempts, delivered_at, failed_at, last_error FROM webhook_deliveries
      WHERE request_id = ?`),
    expiredFiles: db.prepare(`SELECT id FROM requests
      WHERE files_expire_at IS NOT NULL AND files_deleted_at IS NULL AND files_expire_at <= @now
      ORDER BY files_expire_at LIMIT @limit`),
    // The first deletion time is the one kept.
    markFilesDeleted: db.prepare(`UPDATE requests SET files_deleted_at = @now
      WHERE id = @id AND files_deleted_at IS NULL`),
    countRequests: db.prepare(`SELECT status,
        CASE WHEN status <> 'COMPLETED' THEN 'pending'
          WHEN error IS NULL THEN 'ok'
          ELSE COALESCE(json_extract(error, '$.type'), 'error') END AS outcome,
        COUNT(*) AS count
      FROM requests GROUP BY 1, 2`),
    firstSigningKey: db.prepare(`SELECT kid, private_key_pem, public_jwk FROM signing_keys
      ORDER BY created_at, kid LIMIT 1`),
    insertSigningKey:
      db.prepare(`INSERT OR IGNORE INTO signing_keys (kid, private_key_pem, public_jwk, created_at)
      VALUES (@kid, @pem, @jwk, @now)`),
  };
}
