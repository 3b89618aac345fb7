/**
 * Submits of one store instance go through one lane: the ones that arrive while a batch is being
 * committed form the next batch, committed in one transaction on one connection, in call order.
 *
 * Why: requests must take their queue places (identity values) in the order they were submitted,
 * which parallel INSERTs on a pool do not guarantee; and one commit per burst rather than per
 * submit keeps durable submits cheap (the commit's WAL flush is the costly part).
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface SubmitLane<T, R> {
  /** Resolves once the transaction holding this item has committed. */
  submit(item: T): Promise<R>;
  /** Resolves when every item submitted so far is settled. */
  drain(): Promise<void>;
}

interface Waiting<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * @param commitBatch commits the items in ONE transaction and reports each one's own outcome; if
 * it throws, every item of the batch fails with that error.
 */
export function createSubmitLane<T, R>(
  commitBatch: (items: readonly T[]) => Promise<Settled<R>[]>,
  onCommitted: (results: readonly R[]) => void,
): SubmitLane<T, R> {
  let waiting: Waiting<T, R>[] = [];
  // Set and cleared synchronously with the checks of `waiting`, so that no submit is left behind.
  let active = false;
  let current: Promise<void> = Promise.resolve();

  async function runBatches(): Promise<void> {
    // Let the rest of this turn's submits join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      let outcomes: Settled<R>[];
      try {
        outcomes = await commitBatch(batch.map((entry) => entry.item));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
        continue;
      }
      const committed: R[] = [];
      batch.forEach((entry, i) => {
        const outcome = outcomes[i] ?? { ok: false, error: new Error("submit lane lost a write") };
        if (outcome.ok) committed.push(outcome.value);
      });
      onCommitted(committed);
      batch.forEach((entry, i) => {
        const outcome = outcomes[i] ?? { ok: false, error: new Error("submit lane lost a write") };
        if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    }
    active = false;
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!active) {
          active = true;
          current = runBatches();
        }
      });
    },
    async drain() {
      while (active) await current;
    },
  };
}
