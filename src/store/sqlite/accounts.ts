import { priceOf } from "../../contract/pricing.ts";
import {
  BudgetExceededError,
  IdempotencyConflictError,
  type FileRetention,
  type KeyStore,
  type KeyUsage,
  type NewRequest,
  type RequestRecord,
  type RequestStore,
  type WebhookOutbox,
} from "../port.ts";
import type { AccountStatements } from "./account-statements.ts";
import { toApiKey, toJson, toRecord } from "./rows.ts";

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
  if (request.keyId !== null) {
    const state = sql.budgetState.get({ keyId: request.keyId });
    if (state && state.budget !== null) {
      const price = priceOf(request.billableSeconds, request.pricePerSecond);
      const remaining = state.budget - state.spent - state.reserved;
      // A millionth of a dollar of slack: prices are rounded to that.
      if (price > remaining + 1e-6) throw new BudgetExceededError(price, remaining);
    }
  }
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
      const byKey = new Map<string | null, KeyUsage>();
      const entry = (id: string | null) => {
        let usage = byKey.get(id);
        if (!usage)
          byKey.set(id, (usage = { keyId: id, requests: 0, seconds: 0, costUsd: 0, reservedUsd: 0 }));
        return usage;
      };
      for (const row of sql.usageByKey.all()) {
        Object.assign(entry(row.key_id), {
          requests: row.requests,
          seconds: row.seconds,
          costUsd: priceOf(row.cost, 1),
        });
      }
      for (const row of sql.reservedByKey.all()) entry(row.key_id).reservedUsd = priceOf(row.reserved, 1);
      const all = [...byKey.values()];
      if (keyId === undefined) return all;
      return [byKey.get(keyId) ?? { keyId, requests: 0, seconds: 0, costUsd: 0, reservedUsd: 0 }];
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
