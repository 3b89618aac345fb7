import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { migrate } from "../../src/store/sqlite/migrations.ts";
import { prepareStatements } from "../../src/store/sqlite/statements.ts";
for (const batch of [1, 4, 16]) for (const ckpt of [1000, 10000]) {
  const db = new Database(join(mkdtempSync(join(tmpdir(), "r-")), "x.db"));
  db.pragma("journal_mode = WAL"); db.pragma(`synchronous = NORMAL`); db.pragma(`wal_autocheckpoint = ${ckpt}`);
  migrate(db);
  const sql = prepareStatements(db);
  const tx = db.transaction((n: number) => { for (let i = 0; i < n; i++) sql.insert.run({ id: randomUUID(), endpointId: "fal-ai/kling-video/v3/turbo/pro/text-to-video", input: '{"prompt":"A jazz saxophonist sways gently into the note","duration":"5"}', priority: "normal", startDeadline: null, billableSeconds: 5, pricePerSecond: 0.07, createdAt: Date.now() }); });
  const N = 40000; const t = performance.now();
  for (let i = 0; i < N / batch; i++) tx.immediate(batch);
  console.log("batch", batch, "ckpt", ckpt, ((performance.now() - t) * 1000 / N).toFixed(1), "µs/insert");
}
