import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "../../src/store/sqlite/index.ts";
const store = createSqliteStore({ path: join(mkdtempSync(join(tmpdir(), "b-")), "s.db") });
const N = 40000;
const ids: string[] = [];
let t = performance.now();
for (let i = 0; i < N; i++) {
  const id = randomUUID(); ids.push(id);
  await store.enqueue({ id, endpointId: "fal-ai/kling", input: { prompt: "a lighthouse at dusk with waves", duration: "5", aspect_ratio: "16:9" }, priority: i % 5 ? "normal" : "low", startDeadline: null, billableSeconds: 5, pricePerSecond: 0.07, createdAt: Date.now() });
}
console.log("enqueue µs", ((performance.now() - t) * 1000 / N).toFixed(1));
t = performance.now();
for (let i = 0; i < N; i++) await store.get(ids[i]!);
console.log("get µs", ((performance.now() - t) * 1000 / N).toFixed(1));
t = performance.now();
for (let i = 0; i < 1000; i++) await store.queuePosition(ids[i * 20]!);
console.log("queuePosition avg µs (20k queued)", ((performance.now() - t) * 1000 / 1000).toFixed(1));
t = performance.now();
for (let i = 0; i < 1000; i++) await store.queuePosition(ids[i]!);
console.log("queuePosition near head µs", ((performance.now() - t) * 1000 / 1000).toFixed(1));
t = performance.now();
for (let i = 0; i < 2000; i++) await store.claim({ workerId: "w", leaseMs: 1e6, maxAttempts: 3, now: Date.now() });
console.log("claim µs", ((performance.now() - t) * 1000 / 2000).toFixed(1));
