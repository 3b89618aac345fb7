import assert from "node:assert/strict";
import { describe } from "node:test";
import { REQUEST_ERRORS } from "../../../src/contract/request-errors.ts";
import type { RequestError } from "../../../src/store/port.ts";
import { claimOptions, ENDPOINT, METRICS, newRequest, RESULT, storeTest, T0 } from "./fixture.ts";
import type { OpenStore } from "./fixture.ts";

const LEASE = 10_000;
const ENGINE_ERROR: RequestError = { ...REQUEST_ERRORS.engine, message: "ffmpeg exited with code 1" };

/** How requests end: results with exactly one bill, errors, and cancellation in every state. */
export function describeOutcomes(open: OpenStore): void {
  describe("complete", () => {
    storeTest(open, "a result completes the request and writes exactly one usage row", async ({ store }) => {
      const request = await store.enqueue(newRequest({ billableSeconds: 10, pricePerSecond: 0.084 }));
      await store.claim(claimOptions("w1", T0));
      assert.equal(
        await store.complete(request.id, "w1", { result: RESULT, metrics: METRICS }, T0 + 9),
        true,
      );

      const done = await store.get(request.id);
      assert.equal(done?.status, "COMPLETED");
      assert.deepEqual(done?.result, RESULT);
      assert.deepEqual(done?.metrics, METRICS);
      assert.equal(done?.error, null);
      assert.equal(done?.completedAt, T0 + 9);
      assert.equal(done?.leaseOwner, null);
      assert.equal(await store.queuePosition(request.id), null);

      const usage = await store.usage();
      assert.equal(usage.length, 1);
      const [row] = usage;
      assert.equal(row?.requestId, request.id);
      assert.equal(row?.endpointId, ENDPOINT);
      assert.equal(row?.seconds, 10);
      assert.equal(row?.pricePerSecond, 0.084);
      assert.ok(Math.abs((row?.costUsd ?? 0) - 0.84) < 1e-6);
      assert.equal(row?.createdAt, T0 + 9);
    });

    storeTest(
      open,
      "a second complete returns false, writes nothing and bills nothing",
      async ({ store }) => {
        const request = await store.enqueue(newRequest());
        await store.claim(claimOptions("w1", T0));
        assert.equal(
          await store.complete(request.id, "w1", { result: RESULT, metrics: METRICS }, T0 + 1),
          true,
        );
        const first = await store.get(request.id);
        const other = { result: { video: "other" }, metrics: { ...METRICS, cost_usd: 99 } };
        assert.equal(await store.complete(request.id, "w1", other, T0 + 2), false);
        assert.equal(await store.complete(request.id, "w1", { error: ENGINE_ERROR }, T0 + 3), false);
        assert.deepEqual(await store.get(request.id), first);
        assert.equal((await store.usage()).length, 1);
      },
    );

    storeTest(
      open,
      "a worker that lost its lease cannot complete; the new holder bills once",
      async ({ store }) => {
        const request = await store.enqueue(newRequest());
        await store.claim(claimOptions("w1", T0, { leaseMs: LEASE }));
        await store.claim(claimOptions("w2", T0 + LEASE + 1, { leaseMs: LEASE }));
        assert.equal(
          await store.complete(request.id, "w1", { result: RESULT, metrics: METRICS }, T0 + LEASE + 2),
          false,
        );
        assert.deepEqual(await store.usage(), []);
        assert.equal((await store.get(request.id))?.status, "IN_PROGRESS");

        assert.equal(
          await store.complete(request.id, "w2", { result: RESULT, metrics: METRICS }, T0 + LEASE + 3),
          true,
        );
        assert.deepEqual(
          (await store.usage()).map((row) => row.requestId),
          [request.id],
        );
      },
    );

    storeTest(open, "complete of a request nobody claimed returns false", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      assert.equal(await store.complete(request.id, "w1", { result: RESULT, metrics: METRICS }, T0), false);
      assert.equal(await store.complete("no-such-request", "w1", { error: ENGINE_ERROR }, T0), false);
      assert.equal((await store.get(request.id))?.status, "IN_QUEUE");
      assert.deepEqual(await store.usage(), []);
    });

    storeTest(open, "an error completes the request without a usage row", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      await store.claim(claimOptions("w1", T0));
      const error: RequestError = {
        ...REQUEST_ERRORS.input,
        detail: [{ loc: ["body", "prompt"], msg: "bad" }],
      };
      assert.equal(await store.complete(request.id, "w1", { error }, T0 + 4), true);
      const done = await store.get(request.id);
      assert.equal(done?.status, "COMPLETED");
      assert.deepEqual(done?.error, error);
      assert.equal(done?.result, null);
      assert.equal(done?.metrics, null);
      assert.deepEqual(await store.usage(), []);
    });
  });

  describe("cancel", () => {
    storeTest(open, "cancelling a queued request ends it and takes it off the queue", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      assert.equal(await store.cancel(request.id, T0 + 1), "cancelled");
      const cancelled = await store.get(request.id);
      assert.equal(cancelled?.status, "COMPLETED");
      assert.deepEqual(cancelled?.error, REQUEST_ERRORS.cancelled);
      assert.equal(cancelled?.completedAt, T0 + 1);
      assert.equal(await store.queuePosition(request.id), null);
      assert.equal(await store.claim(claimOptions("w1", T0 + 2)), undefined);
    });

    storeTest(
      open,
      "cancelling a running request ends it; its worker can neither renew nor bill",
      async ({ store }) => {
        const request = await store.enqueue(newRequest());
        await store.claim(claimOptions("w1", T0));
        assert.equal(await store.cancel(request.id, T0 + 1), "cancelled");
        const cancelled = await store.get(request.id);
        assert.equal(cancelled?.status, "COMPLETED");
        assert.deepEqual(cancelled?.error, REQUEST_ERRORS.cancelled);
        assert.equal(cancelled?.leaseOwner, null);
        assert.equal(await store.heartbeat(request.id, "w1", LEASE, T0 + 2), false);
        assert.equal(
          await store.complete(request.id, "w1", { result: RESULT, metrics: METRICS }, T0 + 3),
          false,
        );
        assert.deepEqual((await store.get(request.id))?.error, REQUEST_ERRORS.cancelled);
        assert.deepEqual(await store.usage(), []);
      },
    );

    storeTest(open, "cancelling a completed request changes nothing", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      await store.claim(claimOptions("w1", T0));
      await store.complete(request.id, "w1", { result: RESULT, metrics: METRICS }, T0 + 1);
      const done = await store.get(request.id);
      assert.equal(await store.cancel(request.id, T0 + 2), "already_completed");
      assert.deepEqual(await store.get(request.id), done);

      const cancelledTwice = await store.enqueue(newRequest());
      assert.equal(await store.cancel(cancelledTwice.id, T0 + 3), "cancelled");
      assert.equal(await store.cancel(cancelledTwice.id, T0 + 4), "already_completed");
      assert.equal((await store.get(cancelledTwice.id))?.completedAt, T0 + 3);
    });

    storeTest(open, "cancelling an unknown request reports not_found", async ({ store }) => {
      assert.equal(await store.cancel("no-such-request", T0), "not_found");
    });
  });
}
