import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { pino } from "pino";
import { UnrecoverableError, type Engine } from "../../src/engines/port.ts";
import { KLING_V3_TURBO_PRO_T2V, PREVIZ_T2V } from "../../src/jobs/endpoints.ts";
import { createLocalStorage } from "../../src/storage/local.ts";
import { createSqliteStore } from "../../src/store/sqlite/index.ts";
import { createWorker } from "../../src/worker/worker.ts";
import { waitFor } from "../support/server-process.ts";

/** An engine that refuses every plan at once: a claimed request ends with its message. */
function refusingEngine(name: string): Engine {
  return {
    name,
    description: `${name} (test)`,
    generate: async () => {
      throw new UnrecoverableError(`${name} ran it`);
    },
  };
}

describe("a worker started for some engines", () => {
  it("claims only the requests of their endpoints, and announces them", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "shotline-filter-"));
    const store = createSqliteStore({ path: path.join(dir, "store.db") });
    const input = { prompt: "a quiet harbour at dawn", duration: "3" };
    const request = (endpointId: string) => ({
      id: `${endpointId.split("/")[0]}-${Math.random()}`,
      endpointId,
      input,
      priority: "normal" as const,
      startDeadline: null,
      billableSeconds: 3,
      pricePerSecond: 0,
      createdAt: Date.now(),
      keyId: null,
      idempotencyKey: null,
      webhookUrl: null,
      origin: null,
      retentionSeconds: 60,
    });
    const kling = await store.enqueue(request(KLING_V3_TURBO_PRO_T2V));
    const previz = await store.enqueue(request(PREVIZ_T2V));
    const worker = createWorker({
      store,
      storage: createLocalStorage({ root: path.join(dir, "files") }),
      engineFor: () => refusingEngine("previz"),
      ffprobePath: "ffprobe",
      workRoot: path.join(dir, "work"),
      logger: pino({ level: "silent" }),
      endpointIds: [PREVIZ_T2V],
      engines: ["previz"],
      healthUrl: "http://render-1:8001",
      pollMs: 20,
    });
    try {
      await worker.start();
      const [announced] = await store.listWorkers();
      assert.equal(announced?.id, worker.id);
      assert.deepEqual(announced?.endpointIds, [PREVIZ_T2V]);
      assert.deepEqual(announced?.engines, ["previz"]);
      assert.equal(announced?.healthUrl, "http://render-1:8001");

      const ended = await waitFor(async () => {
        const record = await store.get(previz.id);
        return record?.status === "COMPLETED" ? record : undefined;
      });
      assert.equal(ended.error?.message, "previz ran it");
      // Older, so a worker without the filter would have claimed it first: never claimed.
      const waiting = await store.get(kling.id);
      assert.equal(waiting?.status, "IN_QUEUE");
      assert.equal(waiting?.attempts, 0);
    } finally {
      await worker.stop(0);
      assert.deepEqual(await store.listWorkers(), [], "a stopped worker leaves the registry");
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
