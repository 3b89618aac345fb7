import { createFalClient, type QueueClient } from "@fal-ai/client";

/** The origin fal's client builds every queue URL on. */
export const FAL_QUEUE_ORIGIN = "https://queue.fal.run";

export interface UpstreamQueueOptions {
  /** The operator's fal key, sent as `Authorization: Key …`. */
  key: string;
  /** Queue origin to call instead of fal's (e.g. another Shotline's `http://host:8000/queue`). */
  queueUrl: string;
}

/**
 * fal's own queue client, with the operator's key, its calls moved to `queueUrl`. The client has
 * no base-URL option: it builds every URL on `https://queue.fal.run`, and its request middleware
 * is the supported hook for changing where they go.
 * @example const queue = createUpstreamQueue({ key, queueUrl: "http://127.0.0.1:9000/queue" });
 */
export function createUpstreamQueue(options: UpstreamQueueOptions): QueueClient {
  const base = options.queueUrl.replace(/\/+$/, "");
  const client = createFalClient({
    credentials: options.key,
    requestMiddleware: (request) => Promise.resolve({ ...request, url: rebaseQueueUrl(request.url, base) }),
  });
  return client.queue;
}

/**
 * `https://queue.fal.run/fal-ai/kling-video/requests/1/status` on `http://h/queue` →
 * `http://h/queue/fal-ai/kling-video/requests/1/status`; other URLs are left alone.
 */
export function rebaseQueueUrl(url: string, base: string): string {
  return url.startsWith(`${FAL_QUEUE_ORIGIN}/`) ? `${base}${url.slice(FAL_QUEUE_ORIGIN.length)}` : url;
}
