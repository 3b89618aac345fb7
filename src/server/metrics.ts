import { Hono, type MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "pino";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** How many requests are in one (status, outcome) pair; outcome is `ok`, an `error_type`, or `pending`. */
export interface RequestCount {
  status: string;
  outcome: string;
  count: number;
}

export type WebhookOutcome = "delivered" | "retry" | "failed";

export interface MetricsOptions {
  /**
   * Counts every request in the store by status and outcome. Read at scrape time, so the gauges are
   * right whichever process changed the store and survive restarts.
   */
  countRequests: () => Promise<RequestCount[]>;
  /** Also export the process metrics of prom-client (CPU, memory, event loop, GC). Default true. */
  collectDefault?: boolean;
  /** Told when `countRequests` fails; the scrape still answers with every other series. */
  logger?: Pick<Logger, "warn">;
}

export interface Metrics {
  registry: Registry;
  /** Counts each HTTP request by method, route pattern and status. Mount it on every path. */
  httpMiddleware: MiddlewareHandler;
  /** `GET /metrics` in Prometheus' text format. */
  routes(): Hono;
  /** One finished render: wall time in seconds, frames written, the engine's name. */
  observeRender(seconds: number, frames: number, engine: string): void;
  webhookDelivery(outcome: WebhookOutcome): void;
}

/** Renders take 1–120 s; the edges sit where an operator would draw a line. */
const RENDER_BUCKETS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300];
/** The throughput gauge is the frames over the seconds of this many most recent renders per engine. */
const FPS_WINDOW = 20;
/** Any other method is one label value, so that a client cannot mint series. */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Prometheus metrics of one app, in a private registry (never prom-client's global one), so that
 * several apps in one process — as in tests — never collide.
 *
 * @example
 * const metrics = createMetrics({ countRequests: () => store.countRequests() });
 * app.use(metrics.httpMiddleware);
 * app.route("/", metrics.routes());
 */
export function createMetrics({ countRequests, collectDefault = true, logger }: MetricsOptions): Metrics {
  const registry = new Registry();
  if (collectDefault) collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: "shotline_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });

  // The store gauges come from one query per scrape: the first collect starts it, the others join.
  let counting: Promise<RequestCount[] | undefined> | undefined;
  const storeErrors = new Counter({
    name: "shotline_metrics_store_errors_total",
    help: "Scrapes whose request counts could not be read from the store.",
    registers: [registry],
    // Waits for this scrape's read, so that a failure is counted in the scrape it spoiled.
    async collect() {
      await readCounts();
    },
  });

  const readCounts = () =>
    (counting ??= countRequests()
      .catch((error: unknown) => {
        storeErrors.inc();
        logger?.warn({ err: error }, "metrics: could not count requests");
        return undefined;
      })
      .finally(() => (counting = undefined)));

  const requests: Gauge<"status" | "outcome"> = new Gauge({
    name: "shotline_requests",
    help: "Requests in the store by status and outcome (ok, the error_type, or pending).",
    labelNames: ["status", "outcome"] as const,
    registers: [registry],
    async collect() {
      const rows = await readCounts();
      // Reset first: a pair that no longer exists must disappear, and on a failed read nothing
      // stale is reported.
      requests.reset();
      for (const row of rows ?? []) requests.inc({ status: row.status, outcome: row.outcome }, row.count);
    },
  });

  const queueDepth: Gauge = new Gauge({
    name: "shotline_queue_depth",
    help: "Requests waiting in the queue (IN_QUEUE).",
    registers: [registry],
    async collect() {
      const rows = await readCounts();
      // An unlabelled gauge cannot be absent: NaN says "unknown" where 0 would say "empty queue".
      queueDepth.set(
        rows ? rows.filter((r) => r.status === "IN_QUEUE").reduce((n, r) => n + r.count, 0) : NaN,
      );
    },
  });

  const renderSeconds = new Histogram({
    name: "shotline_render_seconds",
    help: "Wall time of a render, from claim to stored file, by engine.",
    labelNames: ["engine"] as const,
    buckets: RENDER_BUCKETS,
    registers: [registry],
  });

  const recentRenders = new Map<string, { frames: number; seconds: number }[]>();
  const engineFps: Gauge<"engine"> = new Gauge({
    name: "shotline_engine_fps",
    help: `Frames per second of the last ${FPS_WINDOW} renders, by engine.`,
    labelNames: ["engine"] as const,
    registers: [registry],
    collect() {
      for (const [engine, renders] of recentRenders) {
        const frames = renders.reduce((n, r) => n + r.frames, 0);
        const seconds = renders.reduce((n, r) => n + r.seconds, 0);
        engineFps.set({ engine }, seconds > 0 ? frames / seconds : 0);
      }
    },
  });

  const webhookDeliveries = new Counter({
    name: "shotline_webhook_deliveries_total",
    help: "Webhook delivery attempts by outcome: delivered, retry (another attempt is scheduled), failed (given up).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  // Every outcome exists from the start, so that rate() and alerts see a 0 rather than no series.
  for (const outcome of ["delivered", "retry", "failed"] as const) webhookDeliveries.inc({ outcome }, 0);

  return {
    registry,

    httpMiddleware: async function countHttpRequest(c, next) {
      await next();
      // After `next`, the route index points at the handler that answered: its pattern
      // (`/queue/*`), never the raw path, keeps the label's values few.
      httpRequests.inc({
        method: METHODS.has(c.req.method) ? c.req.method : "OTHER",
        route: routePath(c) || "unmatched",
        status: String(c.res.status),
      });
    },

    routes() {
      const app = new Hono();
      app.get("/metrics", async (c) =>
        c.body(await registry.metrics(), 200, { "content-type": registry.contentType }),
      );
      return app;
    },

    observeRender(seconds, frames, engine) {
      if (!Number.isFinite(seconds) || seconds < 0) return;
      renderSeconds.observe({ engine }, seconds);
      if (seconds === 0 || !Number.isFinite(frames) || frames < 0) return;
      const renders = recentRenders.get(engine) ?? [];
      renders.push({ frames, seconds });
      if (renders.length > FPS_WINDOW) renders.shift();
      recentRenders.set(engine, renders);
    },

    webhookDelivery(outcome) {
      webhookDeliveries.inc({ outcome });
    },
  };
}
