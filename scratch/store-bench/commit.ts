import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
for (const base of [tmpdir(), "/dev/shm"]) for (const batch of [1, 16, 1000]) {
  const db = new Database(join(mkdtempSync(join(base, "c-")), "x.db"));
  db.pragma("journal_mode = WAL"); db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT)");
  const ins = db.prepare("INSERT INTO t VALUES (?, ?)");
  const tx = db.transaction((n: number) => { for (let i = 0; i < n; i++) ins.run(randomUUID(), "x"); });
  const N = 32000; const t = performance.now();
  for (let i = 0; i < N / batch; i++) tx.immediate(batch);
  const per = (performance.now() - t) * 1000 / N;
  console.log(base, "batch", batch, per.toFixed(2), "µs/insert", (per * batch).toFixed(1), "µs/commit");
}
