import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { Hono } from "hono";
import { pino } from "pino";
import { accessLog } from "../../src/server/access-log.ts";

interface Line {
  level: number;
  msg: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  request_id: string | null;
}

/** An app laid out like createApp's: the access log outside the middleware that sets the request id. */
function appWith(level: "info" | "debug", options?: Parameters<typeof accessLog>[1]) {
  const lines: Line[] = [];
  const logger = pino({ level }, { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Line) });
  const app = new Hono<{ Variables: { requestId: string | undefined } }>();
  app.use(accessLog(logger, options));
  app.use(async function falRequestIdHeader(c, next) {
    await next();
    if (!c.res.headers.has("x-fal-request-id"))
      c.res.headers.set("x-fal-request-id", c.get("requestId") ?? randomUUID());
  });
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/metrics", (c) => c.text("# metrics"));
  app.post("/queue/*", async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    c.set("requestId", "req-42");
    return c.json({ request_id: "req-42" });
  });
  app.get("/boom", () => {
    throw new Error("boom");
  });
  app.onError((_error, c) => c.json({ detail: "Internal server error" }, 500));
  return { app, lines };
}

describe("access log", () => {
  it("writes one info line per API call with method, path, status, duration and the request id", async () => {
    const { app, lines } = appWith("info");
    const response = await app.request("/queue/fal-ai/kling?fal_webhook=https://hook.example/secret", {
      method: "POST",
    });
    assert.equal(response.headers.get("x-fal-request-id"), "req-42");
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.ok(line);
    assert.equal(line.level, 30);
    assert.equal(line.msg, "request");
    assert.equal(line.method, "POST");
    assert.equal(line.path, "/queue/fal-ai/kling", "no query string: it may carry a webhook URL");
    assert.equal(line.status, 200);
    assert.equal(line.request_id, "req-42");
    assert.ok(line.duration_ms >= 15 && line.duration_ms < 5000, `duration_ms ${line.duration_ms}`);
  });

  it("logs the request id the client received even when a middleware invented it", async () => {
    const { app, lines } = appWith("info");
    const response = await app.request("/nowhere");
    assert.equal(response.status, 404);
    const sent = response.headers.get("x-fal-request-id");
    assert.ok(sent);
    assert.equal(lines[0]?.request_id, sent);
    assert.equal(lines[0]?.status, 404);
  });

  it("logs the status the error handler answered", async () => {
    const { app, lines } = appWith("info");
    assert.equal((await app.request("/boom")).status, 500);
    assert.equal(lines[0]?.status, 500);
    assert.equal(lines[0]?.path, "/boom");
  });

  it("logs health checks and scrapes at debug only", async () => {
    const quiet = appWith("info");
    await quiet.app.request("/healthz");
    await quiet.app.request("/metrics");
    assert.equal(quiet.lines.length, 0);

    const verbose = appWith("debug");
    await verbose.app.request("/healthz");
    await verbose.app.request("/metrics");
    assert.deepEqual(
      verbose.lines.map((l) => [l.level, l.path]),
      [
        [20, "/healthz"],
        [20, "/metrics"],
      ],
    );
  });

  it("takes other quiet paths when given", async () => {
    const { app, lines } = appWith("info", { quietPaths: ["/metrics"] });
    await app.request("/healthz");
    await app.request("/metrics");
    assert.deepEqual(
      lines.map((l) => l.path),
      ["/healthz"],
    );
  });
});
