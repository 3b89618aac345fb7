import assert from "node:assert/strict";
import { describe } from "node:test";
import { BudgetExceededError, IdempotencyConflictError } from "../../../src/store/port.ts";
import { claimOptions, METRICS, newRequest, RESULT, storeTest, T0, type OpenStore } from "./fixture.ts";

const KEY = { name: "k", secretHash: "00", admin: false, createdAt: T0 };

export function describeAccounts(open: OpenStore): void {
  describe("keys, budgets and idempotency", () => {
    storeTest(open, "keys are created, found, listed and revoked once", async ({ store }) => {
      await store.createKey({ ...KEY, id: "a", budgetUsd: 2 });
      await store.createKey({ ...KEY, id: "b", budgetUsd: null, admin: true });
      assert.deepEqual(await store.findKey("a"), { ...KEY, id: "a", budgetUsd: 2, revokedAt: null });
      assert.deepEqual(
        (await store.listKeys()).map((k) => [k.id, k.admin]),
        [
          ["a", false],
          ["b", true],
        ],
      );
      assert.equal(await store.revokeKey("a", T0 + 1), true);
      assert.equal(await store.revokeKey("a", T0 + 2), false);
      assert.equal((await store.findKey("a"))?.revokedAt, T0 + 1);
      assert.equal(await store.findKey("nope"), undefined);
    });

    storeTest(
      open,
      "reserves a budget at enqueue, settles it on completion and frees it on cancel",
      async ({ store }) => {
        await store.createKey({ ...KEY, id: "k", budgetUsd: 1 }); // 0.35 per request below
        const first = await store.enqueue(newRequest({ keyId: "k" }));
        const second = await store.enqueue(newRequest({ keyId: "k" }));
        await assert.rejects(store.enqueue(newRequest({ keyId: "k" })), BudgetExceededError);
        assert.deepEqual(await store.usageByKey("k"), [
          { keyId: "k", requests: 0, seconds: 0, costUsd: 0, reservedUsd: 0.7 },
        ]);
        const claimed = await store.claim(claimOptions("w", T0));
        assert.equal(claimed?.id, first.id);
        assert.ok(await store.complete(first.id, "w", { result: RESULT, metrics: METRICS }, T0 + 1));
        assert.equal(await store.cancel(second.id, T0 + 2), "cancelled");
        assert.deepEqual(await store.usageByKey("k"), [
          { keyId: "k", requests: 1, seconds: 5, costUsd: 0.35, reservedUsd: 0 },
        ]);
        await store.enqueue(newRequest({ keyId: "k" }));
        await assert.rejects(store.enqueue(newRequest({ keyId: "k" })), BudgetExceededError);
        assert.equal((await store.usage())[0]?.keyId, "k");
      },
    );

    storeTest(
      open,
      "an idempotency key returns the first request, per API key, and refuses another input",
      async ({ store }) => {
        const first = await store.enqueue(newRequest({ keyId: null, idempotencyKey: "x" }));
        const again = await store.enqueue(newRequest({ keyId: null, idempotencyKey: "x" }));
        assert.equal(again.id, first.id);
        await assert.rejects(
          store.enqueue(newRequest({ keyId: null, idempotencyKey: "x", input: { prompt: "other" } })),
          (error: unknown) =>
            error instanceof IdempotencyConflictError && error.existingRequestId === first.id,
        );
        await store.createKey({ ...KEY, id: "k", budgetUsd: null });
        const other = await store.enqueue(newRequest({ keyId: "k", idempotencyKey: "x" }));
        assert.notEqual(other.id, first.id);
      },
    );

    storeTest(open, "counts requests by status and outcome", async ({ store }) => {
      const a = await store.enqueue(newRequest());
      await store.enqueue(newRequest());
      await store.cancel(a.id, T0);
      const counts = await store.countRequests();
      assert.deepEqual(counts.map((c) => [c.status, c.outcome, c.count]).sort(), [
        ["COMPLETED", "cancelled", 1],
        ["IN_QUEUE", "pending", 1],
      ]);
    });

    storeTest(
      open,
      "schedules files for deletion after their retention and lists them once expired",
      async ({ store }) => {
        const request = await store.enqueue(newRequest({ retentionSeconds: 10 }));
        await store.claim(claimOptions("w", T0));
        await store.complete(request.id, "w", { result: RESULT, metrics: METRICS }, T0 + 1000);
        assert.equal((await store.get(request.id))?.filesExpireAt, T0 + 11_000);
        assert.deepEqual(await store.expiredFiles(T0 + 10_999, 10), []);
        assert.deepEqual(await store.expiredFiles(T0 + 11_000, 10), [request.id]);
        await store.markFilesDeleted(request.id, T0 + 12_000);
        assert.deepEqual(await store.expiredFiles(T0 + 20_000, 10), []);
        assert.equal((await store.get(request.id))?.filesDeletedAt, T0 + 12_000);
      },
    );
  });
}
