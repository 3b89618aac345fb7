import type { Database } from "better-sqlite3";
import type { WorkerRegistry } from "../port.ts";
import { toWorker, toWorkerRow, WORKER_COLUMNS } from "../rows.ts";
import type { WorkerRow } from "../rows.ts";

/** The worker registry on SQLite: one row per worker process, renewed by its heartbeats. */
export function workerMethods(db: Database): WorkerRegistry {
  const announce = db.prepare<[WorkerRow]>(`INSERT OR REPLACE INTO workers (${WORKER_COLUMNS})
    VALUES (@id, @host, @pid, @engines, @endpoint_ids, @concurrency, @health_url, @heartbeat_interval_ms,
      @started_at, @heartbeat_at)`);
  const heartbeat = db.prepare<[{ id: string; now: number }]>(
    `UPDATE workers SET heartbeat_at = @now WHERE id = @id`,
  );
  const retire = db.prepare<[string]>(`DELETE FROM workers WHERE id = ?`);
  const list = db.prepare<[], WorkerRow>(`SELECT ${WORKER_COLUMNS} FROM workers ORDER BY started_at, id`);
  const forget = db.prepare<[number], { id: string }>(
    `DELETE FROM workers WHERE heartbeat_at < ? RETURNING id`,
  );
  return {
    async announceWorker(worker) {
      announce.run(toWorkerRow(worker));
    },
    async workerHeartbeat(id, now) {
      return heartbeat.run({ id, now }).changes === 1;
    },
    async retireWorker(id) {
      retire.run(id);
    },
    async listWorkers() {
      return list.all().map(toWorker);
    },
    async forgetWorkers(before) {
      return forget.all(before).map((row) => row.id);
    },
  };
}
