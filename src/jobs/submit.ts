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
}

/** Commits a validated request to the queue; once this resolves its id may be handed out. */
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
  });
}
