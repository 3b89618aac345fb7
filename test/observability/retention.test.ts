import assert from "node:assert/strict";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { pino } from "pino";
import { createLocalStorage } from "../../src/storage/local.ts";
import type { FileStorage } from "../../src/storage/port.ts";
import type { NewRequest, RequestStore } from "../../src/store/port.ts";
import { createSqliteStore } from "../../src/store/sqlite/index.ts";
import { createRetentionSweeper } from "../../src/worker/retention.ts";
import { claimOptions, METRICS, newRequest, RESULT, T0 } from "../store/conformance/fixture.ts";

const logger = pino({ level: "silent" });

describe("retention sweeper", () => {
  let dir = "";
  let store: RequestStore;
  let storage: FileStorage;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shotline-retention-"));
    store = createSqliteStore({ path: join(dir, "shotline.db") });
    storage = createLocalStorage({ root: join(dir, "files") });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Enqueues, claims and completes a request at `completedAt`, with its file in storage when `withFile`. */
  async function completed(overrides: Partial<NewRequest>, completedAt: number, withFile = true) {
    const request = await store.enqueue(newRequest(overrides));
    const claimed = await store.claim(claimOptions("worker-1", completedAt));
    assert.equal(claimed?.id, request.id);
    assert.ok(
      await store.complete(request.id, "worker-1", { result: RESULT, metrics: METRICS }, completedAt),
    );
    if (withFile) {
      const source = join(dir, `${request.id}.mp4`);
      await writeFile(source, "mp4 bytes");
      await storage.put(`${request.id}/output.mp4`, source, "video/mp4");
    }
    return request.id;
  }

  const exists = (id: string) =>
    stat(join(dir, "files", id, "output.mp4")).then(
      () => true,
      () => false,
    );

  it("deletes an expired file, marks its request, and does nothing on the next sweep", async () => {
    const id = await completed({ retentionSeconds: 1 }, T0);
    assert.equal((await store.get(id))?.filesExpireAt, T0 + 1000);
    const sweeper = createRetentionSweeper({ store, storage, logger });

    assert.equal(await sweeper.sweepOnce(T0 + 2000), 1);
    assert.equal(await exists(id), false);
    assert.equal(await storage.stat(`${id}/output.mp4`), undefined);
    assert.equal((await store.get(id))?.filesDeletedAt, T0 + 2000);

    assert.equal(await sweeper.sweepOnce(T0 + 3000), 0);
    assert.equal((await store.get(id))?.filesDeletedAt, T0 + 2000, "the first deletion time stays");
  });

  it("keeps files that have not expired", async () => {
    const kept = await completed({ retentionSeconds: 3600 }, T0);
    const expired = await completed({ retentionSeconds: 1 }, T0);
    const sweeper = createRetentionSweeper({ store, storage, logger });

    assert.equal(await sweeper.sweepOnce(T0 + 2000), 1);
    assert.equal(await exists(kept), true);
    assert.equal((await store.get(kept))?.filesDeletedAt, null);
    assert.equal(await exists(expired), false);

    assert.equal(await sweeper.sweepOnce(T0 + 3600_000), 1, "until they do");
    assert.equal(await exists(kept), false);
  });

  it("marks a request whose file is already missing and goes on", async () => {
    const missing = await completed({ retentionSeconds: 1 }, T0, false);
    const present = await completed({ retentionSeconds: 1 }, T0);
    const sweeper = createRetentionSweeper({ store, storage, logger });

    assert.equal(await sweeper.sweepOnce(T0 + 2000), 2);
    assert.equal((await store.get(missing))?.filesDeletedAt, T0 + 2000);
    assert.equal(await exists(present), false);
  });

  it("sweeps everything expired, however many batches it takes", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await completed({ retentionSeconds: 1 }, T0 + i));
    const sweeper = createRetentionSweeper({ store, storage, logger, batch: 2 });

    assert.equal(await sweeper.sweepOnce(T0 + 10_000), 5);
    for (const id of ids) assert.equal(await exists(id), false);
  });

  it("leaves a file it could not delete for the next sweep without stopping this one", async () => {
    const stuck = await completed({ retentionSeconds: 1 }, T0);
    const others = [
      await completed({ retentionSeconds: 1 }, T0 + 1),
      await completed({ retentionSeconds: 1 }, T0 + 2),
    ];
    let broken = true;
    const flaky: Pick<FileStorage, "delete"> = {
      async delete(key) {
        if (broken && key.startsWith(stuck)) throw new Error("EACCES: permission denied");
        return storage.delete(key);
      },
    };
    const sweeper = createRetentionSweeper({ store, storage: flaky, logger, batch: 1 });

    assert.equal(await sweeper.sweepOnce(T0 + 2000), 2);
    for (const id of others) assert.equal(await exists(id), false);
    assert.equal(await exists(stuck), true);
    assert.equal((await store.get(stuck))?.filesDeletedAt, null, "not marked: its file is still there");

    broken = false;
    assert.equal(await sweeper.sweepOnce(T0 + 3000), 1);
    assert.equal(await exists(stuck), false);
  });

  it("sweeps on its own once started, and stops", async () => {
    // Completed ten seconds ago with a one-second lifetime: expired on the real clock.
    const id = await completed({ retentionSeconds: 1 }, Date.now() - 10_000);
    const sweeper = createRetentionSweeper({ store, storage, logger, intervalMs: 20 });
    sweeper.start();
    try {
      const deadline = Date.now() + 5000;
      while ((await store.get(id))?.filesDeletedAt === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await sweeper.stop();
    }
    assert.notEqual((await store.get(id))?.filesDeletedAt, null);
    assert.equal(await exists(id), false);

    const later = await completed({ retentionSeconds: 1 }, Date.now() - 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await exists(later), true, "a stopped sweeper sweeps no more");
  });
});
