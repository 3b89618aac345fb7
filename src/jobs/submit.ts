import { randomUUID } from "node:crypto";
import { requestedSeconds, type VideoInput } from "../contract/input.ts";
import type { Priority } from "../contract/queue.ts";
import type { RequestRecord, RequestStore } from "../store/port.ts";

export interface SubmitOptions {
  endpointId: string;
  input: VideoInput;
  priority: Priority;
  /** `x-fal-request-timeout`: seconds the request may wait before it starts. */
  startTimeoutSeconds: number | null;
  pricePerSecond: number;
  keyId: string | null;
  idempotencyKey: string | null;
  webhookUrl: string | null;
  /** Origin the caller used, for absolute URLs in webhook payloads. */
  origin: string | null;
  retentionSeconds: number;
}

/**
 * Commits a validated request to the queue; once this resolves its id may be handed out. Resolves
 * to an earlier request for a repeated idempotency key, and rejects (store errors) when the key's
 * budget cannot cover the price or the idempotency key was used for another input.
 */
export async function submitRequest(store: RequestStore, options: SubmitOptions): Promise<RequestRecord> {
  const now = Date.now();
  return store.enqueue({
    id: randomUUID(),
    endpointId: options.endpointId,
    input: options.input,
    priority: options.priority,
    startDeadline: options.startTimeoutSeconds === null ? null : now + options.startTimeoutSeconds * 1000,
    billableSeconds: requestedSeconds(options.input),
    pricePerSecond: options.pricePerSecond,
    createdAt: now,
    keyId: options.keyId,
    idempotencyKey: options.idempotencyKey,
    webhookUrl: options.webhookUrl,
    origin: options.origin,
    retentionSeconds: options.retentionSeconds,
  });
}
