import type { WorkerRecord, WorkerRegistry } from "../store/port.ts";

/** How many heartbeat intervals a worker may miss before it is shown as lost. */
const MISSED_HEARTBEATS = 3;

/** The worker registry as `/healthz` shows it: every worker process on the store, and whether it is alive. */
export async function workerHealth(registry: Pick<WorkerRegistry, "listWorkers">, now = Date.now()) {
  return (await registry.listWorkers()).map((worker: WorkerRecord) => ({
    id: worker.id,
    host: worker.host,
    pid: worker.pid,
    engines: worker.engines,
    endpoint_ids: worker.endpointIds,
    concurrency: worker.concurrency,
    health_url: worker.healthUrl,
    started_at: new Date(worker.startedAt).toISOString(),
    last_heartbeat_at: new Date(worker.heartbeatAt).toISOString(),
    alive: now - worker.heartbeatAt <= MISSED_HEARTBEATS * worker.heartbeatIntervalMs,
  }));
}
