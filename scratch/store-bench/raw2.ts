import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { migrate } from "../../src/store/sqlite/migrations.ts";
for (const ckpt of [1000, 4000, 16000, 0]) for (const noAuto of [false, true]) {
  const db = new Database(join(mkdtempSync(join(tmpdir(), "r-")), "x.db"));
  db.pragma("journal_mode = WAL"); db.pragma(`synchronous = NORMAL`); db.pragma(`wal_autocheckpoint = ${ckpt}`);
  migrate(db, noAuto ? [] : undefined);
  if (noAuto) db.exec(`CREATE TABLE requests (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, endpoint_id TEXT, input TEXT, priority TEXT, priority_rank INTEGER GENERATED ALWAYS AS (CASE priority WHEN 'normal' THEN 0 ELSE 1 END) VIRTUAL, status TEXT, start_deadline INTEGER, billable_seconds REAL, price_per_second REAL, created_at INTEGER);
  CREATE INDEX requests_queue ON requests (priority_rank, seq) WHERE status = 'IN_QUEUE';`);
  const ins = db.prepare(`INSERT INTO requests (id, endpoint_id, input, priority, status, start_deadline, billable_seconds, price_per_second, created_at) VALUES (?, 'e', '{"prompt":"x"}', 'normal', 'IN_QUEUE', NULL, 5, 0.07, 1)`);
  const N = 20000; const t = performance.now();
  for (let i = 0; i < N; i++) ins.run(randomUUID());
  console.log("ckpt", ckpt, "noAutoincrement", noAuto, ((performance.now() - t) * 1000 / N).toFixed(1), "µs");
}
