import { keyUsage, refuseOverBudget } from "../accounting.ts";
import {
  IdempotencyConflictError,
  type FileRetention,
  type KeyStore,
  type NewRequest,
  type RequestRecord,
  type RequestStore,
  type WebhookOutbox,
} from "../port.ts";
import type { AccountStatements } from "./account-statements.ts";
import { toApiKey, toJson, toRecord } from "../rows.ts";

/**
 * Runs inside the enqueue transaction, before the INSERT: returns the first request of a repeated
 * `Idempotency-Key`, refuses a conflicting one, and refuses a price over what is left of the budget.
 */
export function admitRequest(sql: AccountStatements, request: NewRequest): RequestRecord | undefined {
  if (request.idempotencyKey !== null) {
    const first = sql.findIdempotent.get({ keyId: request.keyId, idempotencyKey: request.idempotencyKey });
    if (first) {
      if (first.input !== toJson(request.input)) throw new IdempotencyConflictError(first.id);
      return toRecord(first);
    }
  }
  if (request.keyId !== null) refuseOverBudget(sql.budgetState.get({ keyId: request.keyId }), request);
  return undefined;
}

/** Keys, usage by key, the webhook outbox and file retention on the SQLite store. */
export function accountMethods(
  sql: AccountStatements,
  emit: (id: string) => void,
): KeyStore & WebhookOutbox & FileRetention & Pick<RequestStore, "countRequests"> {
  return {
    async createKey(key) {
      sql.createKey.run({
        id: key.id,
        name: key.name,
        secret_hash: key.secretHash,
        admin: key.admin ? 1 : 0,
        budget_usd: key.budgetUsd,
        created_at: key.createdAt,
        revoked_at: null,
      });
    },
    async findKey(id) {
      const row = sql.findKey.get(id);
      return row && toApiKey(row);
    },
    async listKeys() {
      return sql.listKeys.all().map(toApiKey);
    },
    async revokeKey(id, now) {
      return sql.revokeKey.run({ id, now }).changes === 1;
    },
    async usageByKey(keyId) {
      return keyUsage(sql.usageByKey.all(), sql.reservedByKey.all(), keyId);
    },

    async claimWebhooks({ workerId, leaseMs, now, limit }) {
      return sql.claimWebhooks
        .all({ workerId, leaseUntil: now + leaseMs, now, limit })
        .map((row) => ({ requestId: row.request_id, url: row.url, attempts: row.attempts }));
    },
    async webhookDelivered(requestId, workerId, now) {
      sql.webhookDelivered.run({ id: requestId, workerId, now });
      emit(requestId);
    },
    async webhookFailed(requestId, workerId, error, retryAt, now) {
      sql.webhookFailed.run({ id: requestId, workerId, now, error, retryAt });
      emit(requestId);
    },
    async webhookState(requestId) {
      const row = sql.webhookState.get(requestId);
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
      let row = sql.firstSigningKey.get();
      if (!row) {
        const made = create();
        sql.insertSigningKey.run({
          kid: made.kid,
          pem: made.privateKeyPem,
          jwk: JSON.stringify(made.publicJwk),
          now: Date.now(),
        });
        row = sql.firstSigningKey.get();
      }
      if (!row) throw new Error("could not store the signing key");
      return {
        kid: row.kid,
        privateKeyPem: row.private_key_pem,
        publicJwk: JSON.parse(row.public_jwk) as Record<string, string>,
      };
    },

    async expiredFiles(now, limit) {
      return sql.expiredFiles.all({ now, limit }).map((row) => row.id);
    },
    async countRequests() {
      return sql.countRequests.all();
    },
    async markFilesDeleted(id, now) {
      sql.markFilesDeleted.run({ id, now });
      emit(id);
    },
  };
}
