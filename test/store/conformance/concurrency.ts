import assert from "node:assert/strict";
import { describe } from "node:test";
import type { RequestStore } from "../../../src/store/port.ts";
import { claimOptions, enqueueMany, storeTest, T0 } from "./fixture.ts";
import type { OpenStore } from "./fixture.ts";

const REQUESTS = 60;

/** Two instances on one database, as two processes would hold: a request is claimed once only. */
export function describeConcurrency(open: OpenStore): void {
  describe("concurrent claimers", () => {
    storeTest(
      open,
      "two instances claiming interleaved never take the same request",
      async ({ store, reopen }) => {
        const other = await reopen();
        const submitted = await enqueueMany(store, REQUESTS);
        const drain = async (claimer: RequestStore, workerId: string) => {
          const taken: string[] = [];
          for (;;) {
            const record = await claimer.claim(claimOptions(workerId, T0));
            if (record === undefined) return taken;
            assert.equal(record.leaseOwner, workerId);
            taken.push(record.id);
          }
        };
        const [first, second] = await Promise.all([drain(store, "w1"), drain(other, "w2")]);
        const all = [...first, ...second];
        assert.equal(new Set(all).size, all.length, "a request was claimed twice");
        assert.deepEqual([...all].sort(), submitted.map((record) => record.id).sort());
        // The second instance sees the first one's writes, and the other way round.
        for (const id of first) assert.equal((await other.get(id))?.leaseOwner, "w1");
        for (const id of second) assert.equal((await store.get(id))?.leaseOwner, "w2");
      },
      { needsReopen: true },
    );
  });
}
