import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createSqliteStore } from "../../src/store/sqlite/index.ts";
const store = createSqliteStore({ path: join(mkdtempSync(join(tmpdir(), "mini-")), "s.db") });
const app = new Hono();
let total = 0, count = 0, slow = 0;
setInterval(() => { if (count) console.error(`enqueue avg ${(total * 1000 / count).toFixed(0)}µs n=${count} slow(>5ms)=${slow}`); total = 0; count = 0; slow = 0; }, 2000).unref();
app.get("/healthz", (c) => c.json({ ok: true }));
app.post("/submit", async (c) => {
  const input = await c.req.json();
  const t0 = performance.now();
  const r = await store.enqueue({ id: randomUUID(), endpointId: "fal-ai/kling-video/v3/turbo/pro/text-to-video", input, priority: "normal", startDeadline: null, billableSeconds: 5, pricePerSecond: 0.07, createdAt: Date.now() });
  total += performance.now() - t0; count++; if (performance.now() - t0 > 5) slow++;
  return c.json({ request_id: r.id, queue_position: await store.queuePosition(r.id) });
});
app.get("/status/:id", async (c) => {
  const id = c.req.param("id");
  const r = await store.get(id);
  if (!r) return c.json({}, 404);
  return c.json({ status: r.status, queue_position: await store.queuePosition(id), logs: await store.logs(id) });
});
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log(`http://127.0.0.1:${info.port}`));
