import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Logger } from "pino";
import type { DueWebhook, RequestStore, SigningKey, WebhookOutbox } from "../store/port.ts";
import { webhookBody } from "./payload.ts";
import { checkWebhookUrl, compileWebhookPolicy, policyLookup, type WebhookPolicy } from "./policy.ts";
import { postOnce } from "./post.ts";
import { LOCAL_USER_ID, loadSigningKey, signWebhook } from "./signing.ts";

/**
 * Terminology
 * - delivery: the outbox row of one ended request that asked for a webhook (`?fal_webhook=`).
 * - attempt: one POST of a delivery. A 2xx answer delivers it; any other answer, a network error
 *   or no answer within `timeoutMs` fails the attempt.
 * - backoff: after the n-th failed attempt (n = 1, 2, …) the next waits `backoffBaseMs · 2^(n-1)`.
 *   With the defaults (10 attempts, 15 s base) the retries come 15 s, 30 s, 1 min, … 64 min after
 *   the failure before them: the 10th attempt is 15 s · (2^9 − 1) = 7665 s ≈ 2 h 8 min after the
 *   request ended, fal's "10 times over about 2 hours". Then the delivery is given up.
 */

export type DeliveryOutcome = "delivered" | "failed" | "retry";

export interface WebhookDelivererOptions {
  store: Pick<RequestStore, "get" | "onChange"> & WebhookOutbox;
  logger: Logger;
  policy: WebhookPolicy;
  timeoutMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** How often to look for due deliveries when nothing in this process announced any. */
  pollMs?: number;
  /** Deliveries attempted at the same time. */
  concurrency?: number;
  /** How long a claim holds a delivery; longer than an attempt can last, so none is sent twice. */
  leaseMs?: number;
  workerId?: string;
  /** Called after each attempt: "failed" means given up. For metrics and tests. */
  onDelivery?(
    outcome: DeliveryOutcome,
    delivery: { requestId: string; attempt: number; error?: string },
  ): void;
}

export interface WebhookDeliverer {
  readonly id: string;
  start(): void;
  /** Stops claiming and waits for the attempts under way (each is bounded by `timeoutMs`). */
  stop(): Promise<void>;
}

/**
 * Delivers the webhook outbox: claims due deliveries with a lease, POSTs each signed body and
 * records the outcome. Deliveries survive restarts because they live in the store; a crash
 * mid-attempt leaves the lease to run out and another deliverer to try again.
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const id = options.workerId ?? `${os.hostname()}-${process.pid}-webhooks-${randomUUID().slice(0, 8)}`;
  const { store, logger } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const settings = {
    timeoutMs,
    maxAttempts: options.maxAttempts ?? 10,
    backoffBaseMs: options.backoffBaseMs ?? 15_000,
    pollMs: options.pollMs ?? 1000,
    concurrency: options.concurrency ?? 8,
    leaseMs: options.leaseMs ?? 2 * timeoutMs + 10_000,
  };
  // Fails construction on a malformed policy entry, rather than every delivery later.
  compileWebhookPolicy(options.policy);
  const lookup = policyLookup(options.policy);
  const log = logger.child({ component: "webhooks", worker_id: id });

  // Loaded once; a failed load (say, the store was busy) is tried again by the next attempt.
  let signingKey: Promise<SigningKey> | undefined;
  const key = () =>
    (signingKey ??= loadSigningKey(store).catch((error: unknown) => {
      signingKey = undefined;
      throw error;
    }));

  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let woken = false;
  const inFlight = new Set<string>();
  const signal = () => {
    woken = true;
    wake?.();
  };
  const unsubscribe = store.onChange((requestId) => {
    // Our own outcome writes change the request too; those announce nothing new.
    if (inFlight.has(requestId) || stopping) return;
    void store
      .get(requestId)
      .then((record) => {
        if (record?.status === "COMPLETED" && record.webhookUrl !== null) signal();
      })
      .catch(() => undefined);
  });

  const idle = () =>
    new Promise<void>((resolve) => {
      if (woken) return resolve();
      const timer = setTimeout(resolve, settings.pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = undefined;
      woken = false;
    });

  async function attempt(due: DueWebhook): Promise<void> {
    const attemptNo = due.attempts + 1;
    const dlog = log.child({ request_id: due.requestId, attempt: attemptNo });
    let error: string;
    let permanent = false;
    try {
      const check = await checkWebhookUrl(due.url, options.policy);
      if (!check.ok) {
        error = `refused: ${check.reason}`;
        permanent = check.transient !== true;
      } else {
        const record = await store.get(due.requestId);
        if (!record || record.status !== "COMPLETED") {
          error = "the request is missing or has not ended";
          permanent = true;
        } else {
          const body = webhookBody(record);
          const headers = signWebhook(await key(), {
            requestId: record.id,
            userId: record.keyId ?? LOCAL_USER_ID,
            body,
            timestamp: Date.now() / 1000,
          });
          const answer = await postOnce(check.url, body, { headers, timeoutMs: settings.timeoutMs, lookup });
          if (answer.status >= 200 && answer.status < 300) {
            await store.webhookDelivered(due.requestId, id, Date.now());
            dlog.info({ status: answer.status }, "webhook delivered");
            options.onDelivery?.("delivered", { requestId: due.requestId, attempt: attemptNo });
            return;
          }
          const excerpt = answer.excerpt.trim().replace(/\s+/g, " ").slice(0, 200);
          error = `HTTP ${answer.status}${excerpt ? `: ${excerpt}` : ""}`;
        }
      }
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }

    const giveUp = permanent || attemptNo >= settings.maxAttempts;
    const retryAt = giveUp ? null : Date.now() + settings.backoffBaseMs * 2 ** (attemptNo - 1);
    await store.webhookFailed(due.requestId, id, error, retryAt, Date.now());
    if (giveUp) {
      dlog.warn({ err_message: error }, "webhook given up");
    } else {
      dlog.info(
        { err_message: error, retry_at: new Date(retryAt ?? 0).toISOString() },
        "webhook attempt failed",
      );
    }
    const outcome = giveUp ? "failed" : "retry";
    options.onDelivery?.(outcome, { requestId: due.requestId, attempt: attemptNo, error });
  }

  async function deliverLoop(): Promise<void> {
    const running = new Map<string, Promise<void>>();
    while (!stopping) {
      if (running.size >= settings.concurrency) {
        await Promise.race(running.values());
        continue;
      }
      let batch: DueWebhook[] = [];
      try {
        batch = await store.claimWebhooks({
          workerId: id,
          leaseMs: settings.leaseMs,
          now: Date.now(),
          limit: settings.concurrency - running.size,
        });
      } catch (error) {
        log.error({ err: error }, "could not claim webhook deliveries");
      }
      for (const due of batch) {
        inFlight.add(due.requestId);
        const done = attempt(due)
          // The store could not record the outcome: the lease runs out and the delivery is retried.
          .catch((error: unknown) =>
            log.error({ err: error, request_id: due.requestId }, "webhook attempt crashed"),
          )
          .finally(() => {
            inFlight.delete(due.requestId);
            running.delete(due.requestId);
            // A slot is free: look for more at once.
            signal();
          });
        running.set(due.requestId, done);
      }
      if (batch.length === 0) await idle();
    }
    await Promise.all(running.values());
  }

  return {
    id,
    start() {
      if (loop) return;
      log.info(
        {
          max_attempts: settings.maxAttempts,
          backoff_base_ms: settings.backoffBaseMs,
          timeout_ms: timeoutMs,
        },
        "webhook deliverer started",
      );
      loop = deliverLoop().catch((error: unknown) => log.error({ err: error }, "webhook deliverer crashed"));
    },
    async stop() {
      stopping = true;
      unsubscribe();
      signal();
      await loop;
      log.info("webhook deliverer stopped");
    },
  };
}
