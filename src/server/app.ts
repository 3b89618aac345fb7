import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { accessLog } from "./access-log.ts";
import type { AppEnv } from "./app-env.ts";
import { makeAppDeps, type AppOptions } from "./deps.ts";
import { HttpError } from "./http-error.ts";
import { openApiDocument } from "./openapi.ts";
import { storeJwks } from "../webhooks/signing.ts";
import { fileRoutes } from "./routes/files.ts";
import { jwksRoutes } from "./routes/jwks.ts";
import { playgroundRoutes } from "./routes/playground.ts";
import { proxyRoutes, TARGET_URL_HEADER } from "./routes/proxy.ts";
import { queueRoutes } from "./routes/queue.ts";
import { runRoutes } from "./routes/run.ts";
import { usageRoutes } from "./routes/usage.ts";
import { callerOrigin } from "./urls.ts";
import { workerHealth } from "./worker-health.ts";

export type { AppOptions } from "./deps.ts";

/**
 * Builds the HTTP app from its dependencies. It never listens: `cli` serves it, tests call
 * `app.request(…)` or serve it on a free port.
 */
export function createApp(options: AppOptions) {
  const deps = makeAppDeps(options);
  const app = new Hono<AppEnv>();
  const serve = async (request: Request, env: AppEnv["Bindings"]) => app.fetch(request, env);

  // Outermost: they see the final status and headers (x-fal-request-id, CORS) of every answer,
  // preflights and 413s included, and time the whole handling.
  app.use(accessLog(deps.logger));
  if (deps.metrics) app.use(deps.metrics.httpMiddleware);
  app.use(
    cors({
      origin: "*",
      allowMethods: ["GET", "HEAD", "POST", "PUT", "OPTIONS"],
      exposeHeaders: [
        "x-fal-request-id",
        "x-fal-error-type",
        "x-fal-request-timeout-type",
        "content-range",
        "etag",
      ],
      maxAge: 86400,
    }),
  );
  app.use(async function falRequestIdHeader(c, next) {
    await next();
    if (!c.res.headers.has("x-fal-request-id")) {
      c.res.headers.set("x-fal-request-id", c.get("requestId") ?? randomUUID());
    }
  });
  app.use(async function queueHostLayout(c, next) {
    // A deployment may give the queue its own host, as fal does (`queue.fal.run/{id}`).
    const host = c.req.header("host") ?? "";
    if (!host.startsWith("queue.") || c.req.path.startsWith("/queue/") || c.req.header(TARGET_URL_HEADER)) {
      return next();
    }
    const url = new URL(c.req.url);
    const method = c.req.method;
    const body = method === "GET" || method === "HEAD" ? null : await c.req.arrayBuffer();
    return serve(
      new Request(`${url.origin}/queue${url.pathname}${url.search}`, {
        method,
        headers: c.req.raw.headers,
        body,
      }),
      c.env,
    );
  });
  app.use(
    bodyLimit({
      maxSize: deps.maxBodyBytes,
      // The unread rest of the body makes the connection unusable: tell the client not to reuse it.
      onError: (c) =>
        c.json({ detail: `Request body is larger than ${deps.maxBodyBytes} bytes` }, 413, {
          connection: "close",
        }),
    }),
  );

  // Liveness for load balancers and probes: answers without touching the store.
  app.get("/livez", (c) => c.json({ status: "ok" }));
  app.get("/healthz", async (c) =>
    c.json({
      status: "ok",
      endpoints: deps.endpoints.map((e) => ({
        id: e.id,
        engine: e.engine.name,
        engine_description: e.engine.description,
        price_per_second: e.pricePerSecond,
      })),
      // Every worker process on the shared store, this process's own included.
      workers: await workerHealth(deps.store),
    }),
  );
  // `?endpoint_id=` narrows the document to one endpoint, as fal's per-endpoint OpenAPI does.
  app.get("/openapi.json", (c) => {
    const only = c.req.query("endpoint_id");
    const endpoints = only === undefined ? deps.endpoints : [deps.findEndpoint(only)];
    return c.json(openApiDocument(endpoints, callerOrigin(c, deps.publicUrl)));
  });
  app.route(
    "/.well-known",
    jwksRoutes(() => storeJwks(deps.store)),
  );
  if (deps.metrics) app.route("/", deps.metrics.routes());
  app.route("/files", fileRoutes(deps));
  app.route("/fal/proxy", proxyRoutes(deps, serve));
  app.route("/queue", queueRoutes(deps));
  app.route("/run", runRoutes(deps));
  app.route("/v1", usageRoutes(deps));
  // fal.run's own layout: POST /{endpoint id} runs synchronously.
  app.route("/", runRoutes(deps));
  // After the API: the page only answers GET `/` and `/assets/*`.
  app.route("/", playgroundRoutes());

  app.notFound((c) => c.json({ detail: "Not found" }, 404));
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json(error.body, error.status as 400, error.headers);
    }
    deps.logger.error({ err: error, path: c.req.path, request_id: c.get("requestId") }, "unhandled error");
    return c.json({ detail: "Internal server error" }, 500);
  });
  return app;
}

export type ShotlineApp = ReturnType<typeof createApp>;
