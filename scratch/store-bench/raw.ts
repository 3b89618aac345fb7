import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { migrate } from "../../src/store/sqlite/migrations.ts";
for (const dirBase of [tmpdir(), "/dev/shm"]) for (const sync of ["NORMAL", "OFF"]) for (const auto of [true]) {
  const db = new Database(join(mkdtempSync(join(dirBase, "r-")), "x.db"));
  db.pragma("journal_mode = WAL"); db.pragma(`synchronous = ${sync}`);
  migrate(db);
  const ins = db.prepare(`INSERT INTO requests (id, endpoint_id, input, priority, status, start_deadline, billable_seconds, price_per_second, created_at) VALUES (?, 'e', '{"prompt":"x"}', 'normal', 'IN_QUEUE', NULL, 5, 0.07, 1)`);
  const N = 10000; const t = performance.now();
  for (let i = 0; i < N; i++) ins.run(randomUUID());
  console.log(dirBase, sync, ((performance.now() - t) * 1000 / N).toFixed(1), "µs");
}
