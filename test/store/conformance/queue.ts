import assert from "node:assert/strict";
import { describe } from "node:test";
import type { LogEntry } from "../../../src/contract/queue.ts";
import { REQUEST_ERRORS } from "../../../src/contract/request-errors.ts";
import { claimOptions, enqueueMany, METRICS, newRequest, RESULT, storeTest, T0 } from "./fixture.ts";
import type { OpenStore } from "./fixture.ts";

/** Submitting, reading back, queue order and position, deadlines, logs and change events. */
export function describeQueue(open: OpenStore): void {
  describe("enqueue and read", () => {
    storeTest(open, "get returns exactly what enqueue stored, JSON included", async ({ store }) => {
      const request = newRequest({
        input: { prompt: "café — 東京 at night 🌧", multi_prompt: [{ prompt: "a", duration: "3" }], n: null },
        priority: "low",
        startDeadline: T0 + 60_000,
        billableSeconds: 10,
        pricePerSecond: 0.084,
      });
      const enqueued = await store.enqueue(request);
      const expected = {
        ...request,
        seq: enqueued.seq,
        status: "IN_QUEUE",
        attempts: 0,
        leaseOwner: null,
        leaseExpiresAt: null,
        startedAt: null,
        completedAt: null,
        progress: null,
        result: null,
        error: null,
        metrics: null,
        filesExpireAt: null,
        filesDeletedAt: null,
      };
      assert.deepEqual(enqueued, expected);
      assert.deepEqual(await store.get(request.id), expected);
      assert.equal(await store.get("00000000-0000-0000-0000-000000000000"), undefined);
    });

    storeTest(open, "seq increases in order of arrival", async ({ store }) => {
      const [a, b, c] = await enqueueMany(store, 3);
      assert.ok(a !== undefined && b !== undefined && c !== undefined);
      assert.ok(a.seq < b.seq && b.seq < c.seq);
    });

    storeTest(open, "a duplicate id is refused without failing other submits", async ({ store }) => {
      const first = newRequest();
      const others = [newRequest(), newRequest()];
      const outcomes = await Promise.allSettled([
        store.enqueue(first),
        store.enqueue(others[0]!),
        store.enqueue({ ...first, input: { prompt: "impostor" } }),
        store.enqueue(others[1]!),
      ]);
      assert.deepEqual(
        outcomes.map((outcome) => outcome.status),
        ["fulfilled", "fulfilled", "rejected", "fulfilled"],
      );
      assert.deepEqual((await store.get(first.id))?.input, first.input);
      for (const other of others) assert.equal((await store.get(other.id))?.status, "IN_QUEUE");
      await assert.rejects(store.enqueue(first));
    });

    storeTest(open, "concurrent submits queue in the order they were made", async ({ store }) => {
      const requests = Array.from({ length: 20 }, () => newRequest());
      const records = await Promise.all(requests.map((request) => store.enqueue(request)));
      assert.ok(records.every((record, i) => i === 0 || record.seq > records[i - 1]!.seq));
      const positions = await Promise.all(requests.map((request) => store.queuePosition(request.id)));
      assert.deepEqual(
        positions,
        requests.map((_, i) => i),
      );
    });

    storeTest(
      open,
      "requests, logs and usage survive closing and reopening",
      async ({ store, reopen }) => {
        const kept = newRequest();
        const done = newRequest();
        await store.enqueue(kept);
        await store.enqueue(done);
        await store.claim(claimOptions("w1", T0)); // takes `kept`
        await store.appendLog(kept.id, log("rendering shot 1"));
        await store.release(kept.id, "w1");
        await store.claim(claimOptions("w1", T0)); // `kept` again, it kept its place
        const claimedDone = await store.claim(claimOptions("w1", T0));
        assert.equal(claimedDone?.id, done.id);
        assert.equal(await store.complete(done.id, "w1", { result: RESULT, metrics: METRICS }, T0 + 1), true);
        await store.close();

        const reopened = await reopen();
        const record = await reopened.get(kept.id);
        assert.equal(record?.status, "IN_PROGRESS");
        assert.equal(record?.leaseOwner, "w1");
        assert.deepEqual(record?.input, kept.input);
        assert.deepEqual(
          (await reopened.logs(kept.id)).map((stored) => stored.entry.message),
          ["rendering shot 1"],
        );
        assert.deepEqual((await reopened.get(done.id))?.result, RESULT);
        assert.deepEqual(
          (await reopened.usage()).map((row) => row.requestId),
          [done.id],
        );
      },
      { needsReopen: true },
    );
  });

  describe("queue order", () => {
    storeTest(
      open,
      "claims every normal request before any low one, each in arrival order",
      async ({ store }) => {
        const order = ["normal", "low", "normal", "low", "normal"] as const;
        const ids: string[] = [];
        for (const priority of order) ids.push((await store.enqueue(newRequest({ priority }))).id);
        const claimed: string[] = [];
        for (;;) {
          const record = await store.claim(claimOptions("w1", T0));
          if (record === undefined) break;
          claimed.push(record.id);
        }
        assert.deepEqual(claimed, [ids[0], ids[2], ids[4], ids[1], ids[3]]);
      },
    );

    storeTest(open, "queuePosition counts exactly the queued requests ahead", async ({ store }) => {
      const [a, b, c, d] = await enqueueMany(store, 4);
      const low = await store.enqueue(newRequest({ priority: "low" }));
      const late = await store.enqueue(newRequest());
      const positions = async () =>
        Promise.all([a, b, c, d, low, late].map((record) => store.queuePosition(record!.id)));

      assert.deepEqual(await positions(), [0, 1, 2, 3, 5, 4]);
      await store.claim(claimOptions("w1", T0)); // a
      assert.deepEqual(await positions(), [null, 0, 1, 2, 4, 3]);
      assert.equal(await store.cancel(c!.id, T0), "cancelled");
      assert.deepEqual(await positions(), [null, 0, null, 1, 3, 2]);
      await store.release(a!.id, "w1");
      assert.deepEqual(await positions(), [0, 1, null, 2, 4, 3]);
      assert.equal(await store.queuePosition("no-such-request"), null);
    });
  });

  describe("start deadline", () => {
    storeTest(
      open,
      "claim ends queued requests past their deadline with request_timeout",
      async ({ store }) => {
        const overdue = await store.enqueue(newRequest({ startDeadline: T0 + 1_000 }));
        const patient = await store.enqueue(newRequest({ startDeadline: T0 + 60_000 }));
        const claimed = await store.claim(claimOptions("w1", T0 + 2_000));
        assert.equal(claimed?.id, patient.id);
        const ended = await store.get(overdue.id);
        assert.equal(ended?.status, "COMPLETED");
        assert.deepEqual(ended?.error, REQUEST_ERRORS.timeout);
        assert.equal(ended?.completedAt, T0 + 2_000);
        assert.equal(ended?.attempts, 0);
      },
    );

    storeTest(open, "expireOverdue ends exactly the overdue queued requests, once", async ({ store }) => {
      const overdue = await store.enqueue(newRequest({ startDeadline: T0 + 1_000 }));
      const running = await store.enqueue(newRequest({ startDeadline: T0 + 1_000 }));
      const later = await store.enqueue(newRequest({ startDeadline: T0 + 60_000 }));
      const noDeadline = await store.enqueue(newRequest({ startDeadline: null }));
      await store.cancel(overdue.id, T0);
      const fresh = await store.enqueue(newRequest({ startDeadline: T0 + 1_500 }));
      assert.equal((await store.claim(claimOptions("w1", T0)))?.id, running.id);

      assert.deepEqual(await store.expireOverdue(T0 + 500), []);
      assert.deepEqual(await store.expireOverdue(T0 + 2_000), [fresh.id]);
      assert.deepEqual(await store.expireOverdue(T0 + 2_000), []);
      assert.deepEqual((await store.get(fresh.id))?.error, REQUEST_ERRORS.timeout);
      assert.deepEqual((await store.get(overdue.id))?.error, REQUEST_ERRORS.cancelled);
      assert.equal((await store.get(running.id))?.status, "IN_PROGRESS");
      assert.equal((await store.get(later.id))?.status, "IN_QUEUE");
      assert.equal((await store.get(noDeadline.id))?.status, "IN_QUEUE");
    });
  });

  describe("logs", () => {
    storeTest(open, "logs come back in order, per request, after a given seq", async ({ store }) => {
      const [a, b] = await enqueueMany(store, 2);
      const entries = ["one", "two", "three"].map((message) => log(message));
      await store.appendLog(a!.id, entries[0]!);
      await store.appendLog(b!.id, log("other request"));
      await store.appendLog(a!.id, entries[1]!);
      await store.appendLog(a!.id, entries[2]!);

      const all = await store.logs(a!.id);
      assert.deepEqual(
        all.map((stored) => stored.entry),
        entries,
      );
      assert.ok(all.every((stored, i) => i === 0 || stored.seq > all[i - 1]!.seq));
      const after = await store.logs(a!.id, all[0]!.seq);
      assert.deepEqual(
        after.map((stored) => stored.entry.message),
        ["two", "three"],
      );
      assert.deepEqual(await store.logs(a!.id, all[2]!.seq), []);
      assert.deepEqual(await store.logs("no-such-request"), []);
    });
  });

  describe("change events", () => {
    storeTest(open, "onChange hears every write by id, until unsubscribed", async ({ store }) => {
      const heard: string[] = [];
      const unsubscribe = store.onChange((id) => heard.push(id));
      const [a, b, c] = await enqueueMany(store, 3);
      const overdue = await store.enqueue(newRequest({ startDeadline: T0 }));
      assert.deepEqual(heard, [a!.id, b!.id, c!.id, overdue.id]);

      const expect = async (action: () => Promise<unknown>, ids: string[]) => {
        heard.length = 0;
        await action();
        assert.deepEqual(heard.sort(), [...ids].sort());
      };
      await expect(() => store.claim(claimOptions("w1", T0 + 1)), [overdue.id, a!.id]);
      await expect(() => store.setProgress(a!.id, "w1", 0.5), [a!.id]);
      assert.equal((await store.get(a!.id))?.progress, 0.5);
      await expect(() => store.appendLog(a!.id, log("half way")), [a!.id]);
      await expect(() => store.release(a!.id, "w1"), [a!.id]);
      await expect(() => store.claim(claimOptions("w1", T0 + 1)), [a!.id]);
      await expect(() => store.complete(a!.id, "w1", { result: RESULT, metrics: METRICS }, T0 + 2), [a!.id]);
      await expect(() => store.cancel(b!.id, T0 + 3), [b!.id]);
      const late = await store.enqueue(newRequest({ startDeadline: T0 + 3 }));
      await expect(() => store.expireOverdue(T0 + 4), [late.id]);
      // Writes that change nothing are not changes.
      await expect(() => store.setProgress(c!.id, "w1", 0.9), []);
      await expect(() => store.cancel(b!.id, T0 + 5), []);

      unsubscribe();
      await expect(() => store.cancel(c!.id, T0 + 6), []);
    });
  });
}

function log(message: string): LogEntry {
  return { message, level: "INFO", source: "USER", timestamp: new Date(T0).toISOString() };
}
