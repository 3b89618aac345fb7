import assert from "node:assert/strict";
import { describe } from "node:test";
import type { WorkerRecord } from "../../../src/store/port.ts";
import { ENDPOINT, storeTest, T0 } from "./fixture.ts";
import type { OpenStore } from "./fixture.ts";

const PREVIZ = "shotline/previz/text-to-video";

function worker(id: string, overrides: Partial<WorkerRecord> = {}): WorkerRecord {
  return {
    id,
    host: "render-1",
    pid: 4242,
    engines: ["previz"],
    endpointIds: [ENDPOINT, PREVIZ],
    concurrency: 2,
    healthUrl: "http://render-1:8001",
    heartbeatIntervalMs: 10_000,
    startedAt: T0,
    heartbeatAt: T0,
    ...overrides,
  };
}

/** The worker registry: announce, heartbeat, list, retire and forget. */
export function describeWorkers(open: OpenStore): void {
  describe("worker registry", () => {
    storeTest(open, "a worker announces itself, renews its row and retires", async ({ store }) => {
      const first = worker("w1", { healthUrl: null });
      const second = worker("w2", {
        startedAt: T0 + 5,
        heartbeatAt: T0 + 5,
        engines: ["fal"],
        endpointIds: [ENDPOINT],
      });
      await store.announceWorker(second);
      await store.announceWorker(first);
      assert.deepEqual(await store.listWorkers(), [first, second]);

      assert.equal(await store.workerHeartbeat("w1", T0 + 100), true);
      assert.equal((await store.listWorkers())[0]?.heartbeatAt, T0 + 100);
      await store.retireWorker("w1");
      assert.deepEqual(await store.listWorkers(), [second]);
      assert.equal(
        await store.workerHeartbeat("w1", T0 + 200),
        false,
        "a retired worker must announce again",
      );
      await store.retireWorker("no-such-worker");
    });

    storeTest(open, "announcing again replaces the row", async ({ store }) => {
      await store.announceWorker(worker("w1"));
      const again = worker("w1", { pid: 7, concurrency: 4, startedAt: T0 + 9, heartbeatAt: T0 + 9 });
      await store.announceWorker(again);
      assert.deepEqual(await store.listWorkers(), [again]);
    });

    storeTest(open, "forgets the workers silent since a given time", async ({ store }) => {
      await store.announceWorker(worker("lost", { heartbeatAt: T0 }));
      await store.announceWorker(worker("alive", { heartbeatAt: T0 + 1_000 }));
      assert.deepEqual(await store.forgetWorkers(T0 + 1_000), ["lost"]);
      assert.deepEqual(
        (await store.listWorkers()).map((w) => w.id),
        ["alive"],
      );
      assert.deepEqual(await store.forgetWorkers(T0 + 1_000), []);
    });

    storeTest(
      open,
      "another instance on the same database sees the registry",
      async ({ store, reopen }) => {
        const other = await reopen();
        await store.announceWorker(worker("w1"));
        assert.deepEqual(await other.listWorkers(), [worker("w1")]);
      },
      { needsReopen: true },
    );
  });
}
