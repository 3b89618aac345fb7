import { mkdir } from "node:fs/promises";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import type { Config } from "../config.ts";
import { createApp } from "../server/app.ts";
import { createMetrics } from "../server/metrics.ts";
import { checkWebhookUrl, createWebhookDeliverer } from "../webhooks/index.ts";
import { createRetentionSweeper } from "../worker/retention.ts";
import { mediaTools, openStorage, openStore } from "./adapters.ts";
import { endpointRoutes } from "./engines.ts";
import { createRenderWorker } from "./worker.ts";

/** `shotline serve`: the API on the embedded adapters, with a worker in the same process. */
export async function serveCommand(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { pid: process.pid } });
  await mkdir(config.filesDir, { recursive: true });
  const store = openStore(config);
  await store.ready();
  const storage = openStorage(config);
  const tools = mediaTools(config);
  const endpoints = endpointRoutes(config, tools);

  const metrics = config.metrics
    ? createMetrics({ countRequests: () => store.countRequests(), logger })
    : undefined;
  const { allowLinkLocal, allow, deny } = config.webhooks;
  const webhookPolicy = { allowLinkLocal, allow, deny };
  // Built before listening: a malformed allow/deny entry stops the start with its message.
  const webhooks = createWebhookDeliverer({
    store,
    logger,
    policy: webhookPolicy,
    timeoutMs: config.webhooks.timeoutMs,
    maxAttempts: config.webhooks.maxAttempts,
    backoffBaseMs: config.webhooks.backoffBaseMs,
    onDelivery: (outcome) => metrics?.webhookDelivery(outcome),
  });
  // Where the files live: local storage is swept by the process that serves it.
  const retention = createRetentionSweeper({ store, storage, logger, intervalMs: config.retentionSweepMs });

  const app = createApp({
    store,
    storage,
    endpoints,
    logger,
    publicUrl: config.publicUrl,
    keepAliveMs: config.keepAliveMs,
    auth: config.auth,
    retentionSeconds: config.retentionSeconds,
    fileUrls: config.fileUrls,
    presignSeconds: config.presignSeconds,
    checkWebhookUrl: (url) => checkWebhookUrl(url, webhookPolicy),
    rateLimits: {
      submitsPerMinute: config.rateLimitSubmitsPerMinute,
      readsPerMinute: config.rateLimitReadsPerMinute,
    },
    metrics,
  });
  const worker = config.worker
    ? createRenderWorker(config, { store, storage, routes: endpoints, tools, logger, metrics })
    : undefined;

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
    logger.info(
      {
        url: `http://${host}:${info.port}`,
        endpoints: Object.fromEntries(endpoints.map((e) => [e.id, e.engine.name])),
        data_dir: config.dataDir,
        auth: config.auth,
      },
      `Shotline listening on http://${host}:${info.port} (${endpoints.map((e) => `${e.id}: ${e.engine.name} — ${e.engine.description}`).join("; ")})`,
    );
  });
  worker?.start();
  // The outbox is delivered even by an API-only process: every deliverer holds a lease per delivery.
  webhooks.start();
  retention.start();
  // Queued requests past their start deadline end on time even while every worker is busy (a claim
  // also ends them, but only when a worker is free to claim).
  const sweeper = setInterval(() => {
    store
      .expireOverdue(Date.now())
      .catch((error: unknown) => logger.error({ err: error }, "deadline sweep failed"));
  }, 1000);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    clearInterval(sweeper);
    server.close();
    await worker?.stop(config.shutdownGraceMs);
    await webhooks.stop();
    await retention.stop();
    if ("closeAllConnections" in server) server.closeAllConnections();
    await store.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
