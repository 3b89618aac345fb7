import assert from "node:assert/strict";
import { describe } from "node:test";
import { REQUEST_ERRORS } from "../../../src/contract/request-errors.ts";
import { claimOptions, ENDPOINT, enqueueMany, newRequest, storeTest, T0 } from "./fixture.ts";
import type { OpenStore } from "./fixture.ts";

const LEASE = 10_000;

/** Claims, leases, heartbeats, lost workers, graceful release and retry. */
export function describeLeases(open: OpenStore): void {
  describe("claim and lease", () => {
    storeTest(open, "claim leases the request to the worker", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      const claimed = await store.claim(claimOptions("w1", T0 + 5, { leaseMs: LEASE }));
      assert.equal(claimed?.id, request.id);
      assert.equal(claimed?.status, "IN_PROGRESS");
      assert.equal(claimed?.leaseOwner, "w1");
      assert.equal(claimed?.leaseExpiresAt, T0 + 5 + LEASE);
      assert.equal(claimed?.attempts, 1);
      assert.equal(claimed?.startedAt, T0 + 5);
      assert.equal(claimed?.progress, 0);
      assert.deepEqual(await store.get(request.id), claimed);
      assert.equal(await store.claim(claimOptions("w2", T0 + 6)), undefined);
    });

    storeTest(open, "a claim for some endpoints takes the oldest of theirs only", async ({ store }) => {
      const previz = "shotline/previz/text-to-video";
      const kling = await store.enqueue(newRequest());
      const first = await store.enqueue(newRequest({ endpointId: previz }));
      const second = await store.enqueue(newRequest({ endpointId: previz }));
      const forPreviz = claimOptions("w1", T0, { endpointIds: [previz] });
      assert.equal((await store.claim(forPreviz))?.id, first.id);
      assert.equal((await store.claim(forPreviz))?.id, second.id);
      assert.equal(await store.claim(forPreviz), undefined);
      assert.equal(await store.claim(claimOptions("w1", T0, { endpointIds: [] })), undefined);
      assert.equal((await store.get(kling.id))?.status, "IN_QUEUE");
      assert.equal(
        (await store.claim(claimOptions("w2", T0, { endpointIds: [previz, ENDPOINT] })))?.id,
        kling.id,
      );
    });

    storeTest(open, "an expired lease puts the request back and it is claimed again", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      await store.claim(claimOptions("w1", T0, { leaseMs: LEASE }));
      assert.equal(await store.claim(claimOptions("w2", T0 + LEASE - 1, { leaseMs: LEASE })), undefined);

      const retaken = await store.claim(claimOptions("w2", T0 + LEASE + 1, { leaseMs: LEASE }));
      assert.equal(retaken?.id, request.id);
      assert.equal(retaken?.attempts, 2);
      assert.equal(retaken?.leaseOwner, "w2");
      assert.equal(retaken?.leaseExpiresAt, T0 + 2 * LEASE + 1);
      assert.equal(await store.heartbeat(request.id, "w1", LEASE, T0 + LEASE + 2), false);
      assert.equal(await store.heartbeat(request.id, "w2", LEASE, T0 + LEASE + 2), true);
    });

    storeTest(open, "a request put back after an expired lease keeps its place", async ({ store }) => {
      const [first, second] = await enqueueMany(store, 2);
      await store.claim(claimOptions("w1", T0, { leaseMs: LEASE }));
      const next = await store.claim(claimOptions("w2", T0 + LEASE + 1, { leaseMs: LEASE }));
      assert.equal(next?.id, first!.id);
      assert.equal((await store.claim(claimOptions("w2", T0 + LEASE + 1)))?.id, second!.id);
    });

    storeTest(
      open,
      "after maxAttempts lost leases the request ends as runner_disconnected",
      async ({ store }) => {
        const request = await store.enqueue(newRequest());
        const options = (workerId: string, now: number) =>
          claimOptions(workerId, now, { leaseMs: LEASE, maxAttempts: 2 });
        assert.equal((await store.claim(options("w1", T0)))?.attempts, 1);
        assert.equal((await store.claim(options("w2", T0 + LEASE + 1)))?.attempts, 2);
        assert.equal(await store.claim(options("w3", T0 + 2 * LEASE + 2)), undefined);

        const ended = await store.get(request.id);
        assert.equal(ended?.status, "COMPLETED");
        assert.deepEqual(ended?.error, REQUEST_ERRORS.workerLost);
        assert.equal(ended?.error?.type, "runner_disconnected");
        assert.equal(ended?.completedAt, T0 + 2 * LEASE + 2);
        assert.equal(ended?.leaseOwner, null);
        assert.equal(ended?.result, null);
        assert.equal(await store.heartbeat(request.id, "w2", LEASE, T0 + 2 * LEASE + 3), false);
        assert.deepEqual(await store.usage(), []);
      },
    );
  });

  describe("heartbeat", () => {
    storeTest(open, "a heartbeat extends the lease of its holder only", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      await store.claim(claimOptions("w1", T0, { leaseMs: LEASE }));
      assert.equal(await store.heartbeat(request.id, "w1", LEASE, T0 + LEASE - 1), true);
      assert.equal((await store.get(request.id))?.leaseExpiresAt, T0 + 2 * LEASE - 1);
      // The old expiry has passed, but the renewed lease still holds.
      assert.equal(await store.claim(claimOptions("w2", T0 + LEASE + 1)), undefined);
      assert.equal(await store.heartbeat(request.id, "w2", LEASE, T0 + LEASE + 1), false);
      assert.equal(await store.heartbeat("no-such-request", "w1", LEASE, T0), false);
    });

    storeTest(open, "a heartbeat fails once the request is cancelled", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      await store.claim(claimOptions("w1", T0, { leaseMs: LEASE }));
      assert.equal(await store.cancel(request.id, T0 + 1), "cancelled");
      assert.equal(await store.heartbeat(request.id, "w1", LEASE, T0 + 2), false);
    });

    storeTest(open, "a heartbeat on a queued request fails", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      assert.equal(await store.heartbeat(request.id, "w1", LEASE, T0), false);
      assert.equal((await store.get(request.id))?.status, "IN_QUEUE");
    });
  });

  describe("release and retry", () => {
    storeTest(open, "release gives the request back with its place and attempt count", async ({ store }) => {
      const [first, second] = await enqueueMany(store, 3);
      await store.claim(claimOptions("w1", T0));
      await store.setProgress(first!.id, "w1", 0.4);
      await store.release(first!.id, "w1");

      const released = await store.get(first!.id);
      assert.equal(released?.status, "IN_QUEUE");
      assert.equal(released?.attempts, 0);
      assert.equal(released?.leaseOwner, null);
      assert.equal(released?.leaseExpiresAt, null);
      assert.equal(released?.seq, first!.seq);
      assert.equal(await store.queuePosition(first!.id), 0);
      assert.equal(await store.queuePosition(second!.id), 1);
      assert.equal(await store.heartbeat(first!.id, "w1", LEASE, T0 + 1), false);

      const again = await store.claim(claimOptions("w2", T0 + 2));
      assert.equal(again?.id, first!.id);
      assert.equal(again?.attempts, 1);
      assert.equal(again?.progress, 0);
    });

    storeTest(
      open,
      "release by a worker that does not hold the request changes nothing",
      async ({ store }) => {
        const request = await store.enqueue(newRequest());
        const claimed = await store.claim(claimOptions("w1", T0));
        await store.release(request.id, "w2");
        assert.deepEqual(await store.get(request.id), claimed);
        await store.release("no-such-request", "w1");
      },
    );

    storeTest(
      open,
      "retry requeues a failed attempt, counted, in its place after the backoff",
      async ({ store }) => {
        const [failed, other] = await enqueueMany(store, 2, { startDeadline: T0 + 1_000 });
        await store.claim(claimOptions("w1", T0));
        await store.retry(failed!.id, "w1", T0 + 5_000);

        const waiting = await store.get(failed!.id);
        assert.equal(waiting?.status, "IN_QUEUE");
        assert.equal(waiting?.attempts, 1);
        assert.equal(waiting?.leaseOwner, null);
        assert.equal(await store.queuePosition(failed!.id), 0);
        assert.equal(await store.heartbeat(failed!.id, "w1", LEASE, T0 + 1), false);

        // During the backoff the next request runs; the start deadline no longer applies once started.
        assert.equal((await store.claim(claimOptions("w2", T0 + 10)))?.id, other!.id);
        assert.equal(await store.claim(claimOptions("w2", T0 + 4_999)), undefined);
        assert.equal((await store.get(failed!.id))?.status, "IN_QUEUE");
        const again = await store.claim(claimOptions("w2", T0 + 5_000));
        assert.equal(again?.id, failed!.id);
        assert.equal(again?.attempts, 2);
      },
    );

    storeTest(open, "retry by a worker that does not hold the request changes nothing", async ({ store }) => {
      const request = await store.enqueue(newRequest());
      const claimed = await store.claim(claimOptions("w1", T0));
      const heard: string[] = [];
      store.onChange((id) => heard.push(id));
      await store.retry(request.id, "w2", T0 + 1_000);
      assert.deepEqual(await store.get(request.id), claimed);
      assert.deepEqual(heard, []);
      await store.retry(request.id, "w1", T0 + 1_000);
      assert.deepEqual(heard, [request.id]);
    });

    storeTest(
      open,
      "setProgress by a worker that does not hold the request changes nothing",
      async ({ store }) => {
        const request = await store.enqueue(newRequest());
        await store.claim(claimOptions("w1", T0));
        await store.setProgress(request.id, "w1", 0.25);
        await store.setProgress(request.id, "w2", 0.75);
        assert.equal((await store.get(request.id))?.progress, 0.25);
      },
    );
  });
}
