import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { FileStorage } from "../storage/port.ts";
import type { RequestStore } from "../store/port.ts";
import { checkWebhookUrl, DEFAULT_WEBHOOK_POLICY } from "../webhooks/policy.ts";
import type { AuthMode } from "./auth.ts";
import { HttpError } from "./http-error.ts";
import type { Metrics } from "./metrics.ts";
import { clientKey, rateLimit } from "./rate-limit.ts";

/** An endpoint as the HTTP layer sees it: its id, its price and the engine that serves it. */
export interface ServedEndpoint {
  id: string;
  pricePerSecond: number;
  engine: { name: string; description: string };
}

export interface AppOptions {
  store: RequestStore;
  storage: FileStorage;
  endpoints: ServedEndpoint[];
  logger: Logger;
  /** Origin for returned URLs; when absent each request's own origin is used. */
  publicUrl?: string | undefined;
  keepAliveMs?: number;
  maxBodyBytes?: number;
  /** Who needs an API key (see AuthMode). */
  auth?: AuthMode;
  /** Default lifetime of output files, in seconds. */
  retentionSeconds?: number;
  /** Checks a `fal_webhook` URL at submit (scheme, destination policy). */
  checkWebhookUrl?: (url: string) => Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Calls per minute per API key (per address without one); 0 turns a limit off. */
  rateLimits?: { submitsPerMinute: number; readsPerMinute: number };
  /** Prometheus metrics, shared with an in-process worker; absent: no `/metrics` route. */
  metrics?: Metrics | undefined;
  /**
   * `presigned`: results carry file URLs signed by the storage at each read, and `/files/…`
   * redirects to one; `proxied` (default): files stream through `/files/…`.
   */
  fileUrls?: "proxied" | "presigned";
  /** Lifetime of a presigned file URL. */
  presignSeconds?: number;
}

export interface AppDeps extends Required<Omit<AppOptions, "publicUrl" | "metrics">> {
  publicUrl: string | undefined;
  metrics: Metrics | undefined;
  /** Rate-limit middlewares, mounted after auth: one for submits, one for every other API call. */
  limits: { submit: MiddlewareHandler; read: MiddlewareHandler };
  findEndpoint(id: string): ServedEndpoint;
}

/** Options compiled once: defaults filled in, lookups prepared. */
export function makeAppDeps(options: AppOptions): AppDeps {
  if (options.fileUrls === "presigned" && !options.storage.signedUrl) {
    throw new Error("Presigned file URLs need a storage that signs URLs (S3)");
  }
  const byId = new Map(options.endpoints.map((endpoint) => [endpoint.id, endpoint]));
  return {
    keepAliveMs: 15_000,
    maxBodyBytes: 1024 * 1024,
    auth: "optional",
    retentionSeconds: 7 * 24 * 3600,
    checkWebhookUrl: (url: string) => checkWebhookUrl(url, DEFAULT_WEBHOOK_POLICY),
    rateLimits: { submitsPerMinute: 0, readsPerMinute: 0 },
    fileUrls: "proxied",
    presignSeconds: 3600,
    ...options,
    publicUrl: options.publicUrl,
    metrics: options.metrics,
    limits: {
      submit: rateLimit({
        points: options.rateLimits?.submitsPerMinute ?? 0,
        durationSeconds: 60,
        keyOf: clientKey,
      }),
      read: rateLimit({
        points: options.rateLimits?.readsPerMinute ?? 0,
        durationSeconds: 60,
        keyOf: clientKey,
      }),
    },
    findEndpoint(id) {
      const endpoint = byId.get(id);
      if (!endpoint) throw new HttpError(404, { detail: `Endpoint '${id}' is not served here` });
      return endpoint;
    },
  };
}
