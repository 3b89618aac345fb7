import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "../../src/store/sqlite/index.ts";
const ckpt = process.argv[2] ?? "1000";
const store = createSqliteStore({ path: join(mkdtempSync(join(tmpdir(), "g-")), "s.db") });
// test hook: set checkpoint through a second pragma is not exposed; use env in store? measure as-is
const N = 32000, G = Number(process.argv[3] ?? 16);
const t = performance.now();
for (let i = 0; i < N / G; i++) {
  await Promise.all(Array.from({ length: G }, () => store.enqueue({ id: randomUUID(), endpointId: "fal-ai/kling", input: { prompt: "A jazz saxophonist sways gently into the note", duration: "5" }, priority: "normal", startDeadline: null, billableSeconds: 5, pricePerSecond: 0.07, createdAt: Date.now() })));
}
console.log(`ckpt=${ckpt} group=${G}`, ((performance.now() - t) * 1000 / N).toFixed(1), "µs/enqueue");
await store.close();
