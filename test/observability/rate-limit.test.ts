import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { Hono, type Context } from "hono";
import { HttpError } from "../../src/server/http-error.ts";
import { clientKey, rateLimit } from "../../src/server/rate-limit.ts";

type Env = { Variables: { caller: { keyId: string | null } } };

/** createApp's mapping of HttpError to a response, which the limiter's 429 relies on. */
function answerHttpErrors(app: Hono<Env>) {
  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json(error.body, error.status as 400, error.headers);
    return c.json({ detail: "Internal server error" }, 500);
  });
}

/** A route behind the limiter. */
function appWith(
  points: number,
  durationSeconds: number,
  keyOf: (c: Context) => string = (c) => c.req.header("x-key") ?? "",
) {
  const app = new Hono<Env>();
  app.post("/queue/*", rateLimit({ points, durationSeconds, keyOf }), (c) => c.json({ ok: true }));
  app.get("/fails", rateLimit({ points, durationSeconds, keyOf }), () => {
    throw new HttpError(422, { detail: "bad" });
  });
  answerHttpErrors(app);
  const submit = (key = "a") => app.request("/queue/x", { method: "POST", headers: { "x-key": key } });
  return { app, submit };
}

describe("rate limit", () => {
  it("allows N calls per window, then answers 429 with retry-after and a message that says so", async () => {
    const { submit } = appWith(3, 60);
    for (let i = 0; i < 3; i++) {
      const response = await submit();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-ratelimit-limit"), "3");
      assert.equal(response.headers.get("x-ratelimit-remaining"), String(2 - i));
    }
    const refused = await submit();
    assert.equal(refused.status, 429);
    const retryAfter = refused.headers.get("retry-after");
    assert.ok(retryAfter && /^\d+$/.test(retryAfter), `retry-after ${retryAfter}`);
    assert.ok(Number(retryAfter) >= 59 && Number(retryAfter) <= 60, `retry-after ${retryAfter}`);
    assert.equal(refused.headers.get("x-ratelimit-limit"), "3");
    assert.equal(refused.headers.get("x-ratelimit-remaining"), "0");
    assert.deepEqual(await refused.json(), {
      detail: `Rate limit exceeded: 3 requests per 60 s for this key; retry in ${retryAfter} s`,
    });
  });

  it("counts each key on its own", async () => {
    const { submit } = appWith(1, 60);
    assert.equal((await submit("a")).status, 200);
    assert.equal((await submit("a")).status, 429);
    assert.equal((await submit("b")).status, 200, "another key has its own allowance");
    assert.equal((await submit("b")).status, 429);
  });

  it("counts each limiter on its own", async () => {
    const app = new Hono<Env>();
    answerHttpErrors(app);
    app.post("/submit", rateLimit({ points: 1, durationSeconds: 60, keyOf: () => "k" }), (c) => c.text("s"));
    app.get("/status", rateLimit({ points: 1, durationSeconds: 60, keyOf: () => "k" }), (c) => c.text("r"));
    assert.equal((await app.request("/submit", { method: "POST" })).status, 200);
    assert.equal((await app.request("/status")).status, 200, "the submit did not use the read allowance");
    assert.equal((await app.request("/status")).status, 429);
  });

  it("allows calls again once the window has passed, with retry-after of at least 1 s", async () => {
    const { submit } = appWith(1, 1);
    assert.equal((await submit()).status, 200);
    const refused = await submit();
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "1");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await submit()).status, 200);
  });

  it("puts the headers on answers that are errors too", async () => {
    const { app } = appWith(5, 60);
    const response = await app.request("/fails");
    assert.equal(response.status, 422);
    assert.equal(response.headers.get("x-ratelimit-limit"), "5");
    assert.equal(response.headers.get("x-ratelimit-remaining"), "4");
  });

  it("is off when points is 0 or less", async () => {
    for (const points of [0, -1]) {
      const { submit } = appWith(points, 60);
      for (let i = 0; i < 50; i++) assert.equal((await submit()).status, 200);
      const response = await submit();
      assert.equal(response.headers.get("x-ratelimit-limit"), null);
    }
  });
});

describe("clientKey", () => {
  async function keyOf(setup: (c: Context<Env>) => void, env?: unknown) {
    const app = new Hono<Env>();
    app.get("/", (c) => {
      setup(c);
      return c.text(clientKey(c));
    });
    const response = await app.request("/", {}, env);
    return response.text();
  }

  it("uses the API key of the caller set by auth", async () => {
    assert.equal(await keyOf((c) => c.set("caller", { keyId: "k_123" })), "key:k_123");
  });

  it("uses the peer's address for anonymous callers", async () => {
    const env = {
      incoming: { socket: { remoteAddress: "10.1.2.3", remotePort: 5000, remoteFamily: "IPv4" } },
    };
    assert.equal(await keyOf((c) => c.set("caller", { keyId: null }), env), "ip:10.1.2.3");
    assert.equal(await keyOf(() => undefined, env), "ip:10.1.2.3");
  });

  it("falls back to 'anonymous' when there is no socket to ask", async () => {
    assert.equal(await keyOf(() => undefined), "anonymous");
  });

  it("reads the address from a real Node server", async () => {
    const app = new Hono();
    app.get("/", (c) => c.text(clientKey(c)));
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    try {
      await new Promise<void>((resolve) => server.once("listening", () => resolve()));
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { "x-forwarded-for": "1.2.3.4" },
      });
      assert.equal(await response.text(), "ip:127.0.0.1", "the TCP peer, not a forgeable header");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
