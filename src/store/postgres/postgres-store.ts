import { randomBytes } from "node:crypto";
import type pg from "pg";
import { REQUEST_ERRORS } from "../../contract/request-errors.ts";
import { createChangeEmitter } from "../change-emitter.ts";
import { BudgetExceededError, IdempotencyConflictError } from "../port.ts";
import type { CancelOutcome, NewRequest, RequestRecord, RequestStore } from "../port.ts";
import { queuedRecord, toJson, toRecord, toStoredLog, toUsageRow } from "../rows.ts";
import type { LogRow, RequestRow, UsageDbRow } from "../rows.ts";
import { accountMethods, admitRequest, LOCK_KEYS, workerMethods } from "./accounts.ts";
import type { Run } from "./accounts.ts";
import {
  clientSettings,
  createPool,
  inTransaction,
  SCHEMA_NAME,
  prepared,
  withClient,
  withReconnect,
} from "./connection.ts";
import type { PoolSettings } from "./connection.ts";
import { migrate } from "./migrations.ts";
import { listenForChanges } from "./notifications.ts";
import * as q from "./queries.ts";
import { createSubmitLane } from "./submit-lane.ts";
import type { Settled } from "./submit-lane.ts";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** The schema holding Shotline's tables, created on first use. Default `public`. */
  schema?: string;
  /** Connections of this instance's pool (one more is opened for LISTEN). Default 10. */
  maxConnections?: number;
  /** How long a call waits for an unreachable server (a restart, a failover) before failing. */
  reconnectWithinMs?: number;
  /** Start of this instance's application_name (shown in pg_stat_activity); a random suffix follows. */
  name?: string;
}

const CANCELLED = JSON.stringify(REQUEST_ERRORS.cancelled);
const TIMED_OUT = JSON.stringify(REQUEST_ERRORS.timeout);
const WORKER_LOST = JSON.stringify(REQUEST_ERRORS.workerLost);

/**
 * A RequestStore in PostgreSQL, shared by API and worker processes on any number of hosts. Claims
 * pick rows with `FOR UPDATE SKIP LOCKED`; every change is announced with NOTIFY by triggers, and
 * each instance LISTENs, so that a status stream on one host follows a request rendered on
 * another. Calls outlive a server restart: they wait for it to come back (`reconnectWithinMs`).
 *
 * @example
 * const store = createPostgresStore({ url: "postgres://shotline@db/shotline" });
 * await store.ready();
 */
export function createPostgresStore({
  url,
  schema = "public",
  maxConnections = 10,
  reconnectWithinMs = 30_000,
  name = "shotline",
}: PostgresStoreOptions): RequestStore {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name '${schema}'`);
  const settings: PoolSettings = {
    url,
    schema,
    applicationName: `${name}-${randomBytes(6).toString("hex")}`,
    maxConnections,
  };
  const pool = createPool(settings);
  const changes = createChangeEmitter();
  const remote = listenForChanges({
    client: clientSettings(settings),
    channel: `shotline:${schema}`,
    ownName: settings.applicationName,
    onChange: (id) => changes.emit(id),
  });

  // Migrated once per instance, before any other call; a failure is tried again by the next call.
  let migrated: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (migrated ??= withReconnect(reconnectWithinMs, () =>
      withClient(pool, (client) => migrate(client, schema).then(() => undefined)),
    ).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    }));

  const run: Run = async (text, values) => {
    await ready();
    return withReconnect(reconnectWithinMs, () => pool.query(prepared(text, values)));
  };

  // The lease holder's writes to one request (progress, logs, the end) are made in call order, as
  // SQLite's synchronous calls are: a pool would otherwise run them on parallel connections.
  const lanes = new Map<string, Promise<unknown>>();
  function inOrder<T>(id: string, operation: () => Promise<T>): Promise<T> {
    const next = (lanes.get(id) ?? Promise.resolve()).then(operation, operation);
    const tail = next.catch(() => undefined);
    lanes.set(id, tail);
    void tail.then(() => lanes.get(id) === tail && lanes.delete(id));
    return next;
  }

  async function commitSubmits(requests: readonly NewRequest[], retried: boolean) {
    return inTransaction(pool, async (client) => {
      const keyIds = [...new Set(requests.flatMap((r) => (r.keyId === null ? [] : [r.keyId])))].sort();
      if (keyIds.length > 0) await client.query(LOCK_KEYS, [keyIds]);
      const outcomes: Settled<RequestRecord>[] = [];
      for (const request of requests) {
        try {
          outcomes.push({ ok: true, value: await submitOne(client, request, retried) });
        } catch (error) {
          // Refusals fail their own submit; anything else (the server's errors abort the
          // transaction, a lost connection is retried) fails the batch.
          if (!isRefusal(error)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
  }

  const submits = createSubmitLane(
    async (requests: readonly NewRequest[]) => {
      await ready();
      return withReconnect(reconnectWithinMs, (retried) => commitSubmits(requests, retried));
    },
    (records) => records.forEach((record) => changes.emit(record.id)),
  );

  let closing: Promise<void> | undefined;

  return {
    ...accountMethods(run, (id) => changes.emit(id)),
    ...workerMethods(run),
    ready,

    enqueue(request) {
      return submits.submit(request);
    },

    async get(id) {
      const { rows } = await run<RequestRow>(q.GET_REQUEST, [id]);
      return rows[0] && toRecord(rows[0]);
    },

    async queuePosition(id) {
      const { rows } = await run<{ ahead: number }>(q.QUEUE_POSITION, [id]);
      return rows[0]?.ahead ?? null;
    },

    async claim({ workerId, leaseMs, maxAttempts, now, endpointIds }) {
      const ended = await run<{ id: string }>(q.END_OR_REQUEUE, [now, TIMED_OUT, WORKER_LOST, maxAttempts]);
      ended.rows.forEach((row) => changes.emit(row.id));
      // A claim cut off mid-commit may have leased a request to this worker: with no heartbeat its
      // lease runs out and it goes back to the queue, so nothing is lost.
      const { rows } = await run<RequestRow>(q.CLAIM_NEXT, [
        workerId,
        now,
        now + leaseMs,
        endpointIds ?? null,
      ]);
      const claimed = rows[0];
      if (claimed === undefined) return undefined;
      changes.emit(claimed.id);
      return toRecord(claimed);
    },

    // No change event: a renewed lease is not something a caller of the API can see.
    async heartbeat(id, workerId, leaseMs, now) {
      return (await run(q.HEARTBEAT, [id, workerId, now + leaseMs])).rowCount === 1;
    },

    release(id, workerId) {
      return inOrder(id, async () => {
        if ((await run(q.RELEASE, [id, workerId])).rowCount === 1) changes.emit(id);
      });
    },

    retry(id, workerId, notBefore) {
      return inOrder(id, async () => {
        if ((await run(q.RETRY, [id, workerId, notBefore])).rowCount === 1) changes.emit(id);
      });
    },

    setProgress(id, workerId, progress) {
      return inOrder(id, async () => {
        if ((await run(q.SET_PROGRESS, [id, workerId, progress])).rowCount === 1) changes.emit(id);
      });
    },

    appendLog(id, entry) {
      return inOrder(id, async () => {
        await run(q.APPEND_LOG, [id, entry.message, entry.level, entry.timestamp]);
        changes.emit(id);
      });
    },

    async logs(id, afterSeq = 0) {
      const { rows } = await run<LogRow>(q.LOGS, [id, afterSeq]);
      return rows.map(toStoredLog);
    },

    complete(id, workerId, outcome, now) {
      return inOrder(id, async () => {
        const succeeded = "result" in outcome;
        const result = succeeded ? toJson(outcome.result) : null;
        const error = succeeded ? null : toJson(outcome.error);
        const metrics = succeeded ? toJson(outcome.metrics) : null;
        await ready();
        const completed = await withReconnect(reconnectWithinMs, async (retried) => {
          const { rows } = await pool.query<{ completed: number }>(
            prepared(q.COMPLETE, [id, workerId, now, result, error, metrics]),
          );
          if (rows[0]?.completed === 1) return true;
          // A retry that finds nothing to complete: the cut-off attempt may be the one that did it.
          return retried && (await endedAsAsked(pool, id, now, result, error));
        });
        if (completed) changes.emit(id);
        return completed;
      });
    },

    async cancel(id, now): Promise<CancelOutcome> {
      await ready();
      const cancelled = await withReconnect(reconnectWithinMs, async (retried) => {
        if ((await pool.query(prepared(q.CANCEL, [id, now, CANCELLED]))).rowCount === 1) return true;
        return retried && (await endedAsAsked(pool, id, now, null, CANCELLED));
      });
      if (cancelled) {
        changes.emit(id);
        return "cancelled";
      }
      const { rows } = await run(q.STATUS, [id]);
      return rows.length === 0 ? "not_found" : "already_completed";
    },

    async expireOverdue(now) {
      const ids = (await run<{ id: string }>(q.EXPIRE_OVERDUE, [now, TIMED_OUT])).rows.map((row) => row.id);
      ids.forEach((id) => changes.emit(id));
      return ids;
    },

    async usage() {
      return (await run<UsageDbRow>(q.USAGE)).rows.map(toUsageRow);
    },

    onChange(listener) {
      // LISTEN only in processes that follow changes (not in the operator verbs).
      remote.start();
      return changes.on(listener);
    },

    close() {
      closing ??= (async () => {
        await submits.drain();
        await Promise.all(lanes.values());
        await remote.close();
        await pool.end();
      })();
      return closing;
    },
  };
}

/**
 * Inserts one submit in the batch's transaction. A retried batch may find its own rows, committed
 * by the attempt that was cut off: a row with this id and the same content is that one.
 */
async function submitOne(
  client: pg.ClientBase,
  request: NewRequest,
  retried: boolean,
): Promise<RequestRecord> {
  if (retried) {
    const own = await sameSubmit(client, request);
    if (own) return own;
  }
  const first = await admitRequest(client, request);
  if (first) return first;
  const { rows } = await client.query<{ seq: number }>(
    prepared(q.INSERT_REQUEST, [
      request.id,
      request.endpointId,
      toJson(request.input),
      request.priority,
      request.startDeadline,
      request.billableSeconds,
      request.pricePerSecond,
      request.createdAt,
      request.keyId,
      request.idempotencyKey,
      request.webhookUrl,
      request.origin,
      request.retentionSeconds,
    ]),
  );
  const inserted = rows[0];
  if (inserted) return queuedRecord(request, inserted.seq);
  // ON CONFLICT: the id is taken, or a concurrent submit with the same Idempotency-Key committed
  // first (the INSERT waited for it); admitting again now sees that one.
  const { rows: taken } = await client.query(q.STATUS, [request.id]);
  if (taken.length > 0) throw new RequestIdTakenError(request.id);
  const again = await admitRequest(client, request);
  if (again) return again;
  throw new Error(`Request ${request.id} conflicted with another submit`);
}

/** A submit whose id is already used; the others of its batch go on. */
class RequestIdTakenError extends Error {
  override name = "RequestIdTakenError";
  constructor(id: string) {
    super(`A request with id ${id} already exists`);
  }
}

const isRefusal = (error: unknown) =>
  error instanceof BudgetExceededError ||
  error instanceof IdempotencyConflictError ||
  error instanceof RequestIdTakenError;

async function sameSubmit(client: pg.ClientBase, request: NewRequest): Promise<RequestRecord | undefined> {
  const { rows } = await client.query<RequestRow>(q.GET_REQUEST, [request.id]);
  const row = rows[0];
  const same =
    row !== undefined &&
    row.input === toJson(request.input) &&
    row.created_at === request.createdAt &&
    row.endpoint_id === request.endpointId &&
    row.key_id === request.keyId;
  return same ? toRecord(row) : undefined;
}

async function endedAsAsked(
  pool: pg.Pool,
  id: string,
  now: number,
  result: string | null,
  error: string | null,
): Promise<boolean> {
  return ((await pool.query(q.ENDED_AS_ASKED, [id, now, result, error])).rowCount ?? 0) > 0;
}
