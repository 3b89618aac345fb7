import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { pino, type Logger } from "pino";
import { loadConfig, type Config } from "../config.ts";
import type { MediaTools } from "../media/tools.ts";
import { createMetrics, type Metrics } from "../server/metrics.ts";
import type { FileStorage } from "../storage/port.ts";
import type { RequestStore } from "../store/port.ts";
import { createWorker, type Worker } from "../worker/worker.ts";
import { mediaTools, openStorage, openStore } from "./adapters.ts";
import { endpointRoutes, engineLookup, routesForEngines, type EndpointRoute } from "./engines.ts";
import { UsageError } from "./usage-error.ts";

export const WORKER_USAGE = `  worker [--engine NAME]… [--concurrency N] [--health-port N] [--health-host ADDR] [--data-dir DIR]
                                                       Run requests from the shared store, without the API`;

const DEFAULT_HEALTH_PORT = 8001;

export interface WorkerProcessOptions {
  /** Engines this process runs (`--engine`, repeatable or comma-separated); empty: every engine. */
  engines: string[];
  healthPort: number;
  healthHost: string;
}

/** `shotline worker …`: reads its flags, then runs `runWorkerProcess` until SIGTERM or SIGINT. */
export async function workerCommand(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      engine: { type: "string", multiple: true },
      concurrency: { type: "string" },
      "health-port": { type: "string" },
      "health-host": { type: "string" },
      "data-dir": { type: "string" },
    },
    strict: true,
  });
  const config = loadConfig(env, {
    ...(values.concurrency !== undefined && { SHOTLINE_CONCURRENCY: values.concurrency }),
    ...(values["data-dir"] !== undefined && { SHOTLINE_DATA_DIR: values["data-dir"] }),
  });
  const healthPort = Number(values["health-port"] ?? DEFAULT_HEALTH_PORT);
  if (!Number.isInteger(healthPort) || healthPort < 0 || healthPort > 65535) {
    throw new UsageError(`--health-port ${values["health-port"]}: must be a port number (0: any free port)`);
  }
  const engines = (values.engine ?? []).flatMap((entry) => entry.split(",")).map((name) => name.trim());
  await runWorkerProcess(config, {
    engines: engines.filter((name) => name !== ""),
    healthPort,
    healthHost: values["health-host"] ?? config.host,
  });
  return 0;
}

export interface RenderWorkerParts {
  store: RequestStore;
  storage: FileStorage;
  /** The endpoints it renders, with their engines. */
  routes: EndpointRoute[];
  tools: MediaTools;
  logger: Logger;
  metrics?: Metrics | undefined;
  /** Where its process answers `/healthz` and `/metrics`, as announced in the registry. */
  healthUrl?: string;
}

/**
 * The worker that renders the requests of `routes`, as the configuration sets it up: a worker
 * process's, and the one `shotline serve` runs beside its API. Its engines warm up here, as only
 * a process that renders needs them warm.
 */
export function createRenderWorker(config: Config, parts: RenderWorkerParts): Worker {
  const { routes, metrics } = parts;
  const worker = createWorker({
    store: parts.store,
    storage: parts.storage,
    engineFor: engineLookup(routes),
    ffprobePath: parts.tools.ffprobePath,
    workRoot: path.join(config.dataDir, "work"),
    logger: parts.logger,
    concurrency: config.concurrency,
    leaseMs: config.leaseMs,
    maxAttempts: config.maxAttempts,
    endpointIds: routes.map((route) => route.id),
    engines: [...new Set(routes.map((route) => route.engine.name))],
    healthUrl: parts.healthUrl ?? null,
    observeRender: (seconds, frames, engineName) => metrics?.observeRender(seconds, frames, engineName),
  });
  for (const engine of new Set(routes.map((route) => route.engine))) engine.warmUp?.();
  return worker;
}

/**
 * A worker process: claims the requests of the endpoints whose engines it runs from the shared
 * store, renders them, stores the files, announces itself in the worker registry, and answers
 * `/healthz` and `/metrics` on a port of its own. SIGTERM stops claiming; running requests get the
 * shutdown grace, then go back to the queue.
 */
export async function runWorkerProcess(config: Config, options: WorkerProcessOptions): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { pid: process.pid, role: "worker" } });
  const store = openStore(config);
  await store.ready();
  if (!config.s3) await mkdir(config.filesDir, { recursive: true });
  const storage = openStorage(config);
  const tools = mediaTools(config);
  const routes = routesForEngines(endpointRoutes(config, tools), options.engines);
  const engines = [...new Set(routes.map((route) => route.engine.name))];
  const metrics = createMetrics({ countRequests: () => store.countRequests(), logger });

  // The health server listens first: the worker's registry row carries its URL.
  const state: { worker?: Worker; stopping: boolean } = { stopping: false };
  const health = new Hono();
  health.get("/healthz", (c) =>
    c.json(
      {
        status: state.stopping ? "stopping" : "ok",
        role: "worker",
        worker_id: state.worker?.id ?? null,
        engines,
        endpoints: routes.map((route) => ({ id: route.id, engine: route.engine.name })),
        concurrency: config.concurrency,
        running: state.worker?.running() ?? [],
      },
      state.stopping ? 503 : 200,
    ),
  );
  health.route("/", metrics.routes());
  health.notFound((c) => c.json({ detail: "Not found" }, 404));

  let server: ServerType | undefined;
  const address = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: health.fetch, port: options.healthPort, hostname: options.healthHost }, resolve);
  });
  const host = ["0.0.0.0", "::"].includes(address.address)
    ? os.hostname()
    : address.family === "IPv6"
      ? `[${address.address}]`
      : address.address;
  const healthUrl = `http://${host}:${address.port}`;

  const worker = createRenderWorker(config, { store, storage, routes, tools, logger, metrics, healthUrl });
  state.worker = worker;
  await worker.start();
  logger.info(
    {
      health_url: healthUrl,
      worker_id: worker.id,
      endpoints: Object.fromEntries(routes.map((route) => [route.id, route.engine.name])),
      concurrency: config.concurrency,
    },
    `Shotline worker ${worker.id} running ${engines.join(", ")}; health and metrics on ${healthUrl}`,
  );

  const shutdown = async (signal: string) => {
    if (state.stopping) return;
    state.stopping = true;
    logger.info({ signal }, "shutting down");
    await worker.stop(config.shutdownGraceMs);
    server?.close();
    await store.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
