import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createGroupCommit } from "../../src/store/sqlite/group-commit.ts";
import type { Settled } from "../../src/store/sqlite/group-commit.ts";

describe("group commit", () => {
  it("commits the writes of one event-loop turn in one batch, and later ones in the next", async () => {
    const batches: number[][] = [];
    const committed: number[][] = [];
    const group = createGroupCommit(
      (items: readonly number[]) => {
        batches.push([...items]);
        return items.map((item): Settled<number> => ({ ok: true, value: item * 10 }));
      },
      (values) => committed.push([...values]),
    );
    assert.deepEqual(await Promise.all([group.submit(1), group.submit(2), group.submit(3)]), [10, 20, 30]);
    assert.equal(await group.submit(4), 40);
    assert.deepEqual(batches, [[1, 2, 3], [4]]);
    assert.deepEqual(committed, [[10, 20, 30], [40]]);
  });

  it("fails only the write that failed", async () => {
    const group = createGroupCommit((items: readonly number[]) =>
      items.map((item): Settled<number> =>
        item === 2 ? { ok: false, error: new Error("dup") } : { ok: true, value: item },
      ),
    );
    const outcomes = await Promise.allSettled([group.submit(1), group.submit(2), group.submit(3)]);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
  });

  it("fails the whole batch when its transaction fails", async () => {
    const group = createGroupCommit((): Settled<number>[] => {
      throw new Error("disk full");
    });
    const outcomes = await Promise.allSettled([group.submit(1), group.submit(2)]);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ["rejected", "rejected"],
    );
  });

  it("flush commits what is waiting at once", async () => {
    let calls = 0;
    const group = createGroupCommit((items: readonly number[]) => {
      calls++;
      return items.map((item): Settled<number> => ({ ok: true, value: item }));
    });
    const pending = group.submit(7);
    group.flush();
    assert.equal(calls, 1);
    assert.equal(await pending, 7);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(calls, 1, "the scheduled flush finds nothing left to commit");
  });
});
