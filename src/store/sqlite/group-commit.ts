/**
 * Group commit: the writes asked for within one turn of the event loop are committed together, in
 * one transaction, and each caller's promise settles once that transaction is durable.
 *
 * Why: a commit costs far more than the INSERT inside it (WAL frames, locks, the share of the next
 * checkpoint's fsync), and concurrent submits arrive in bursts. One commit per burst keeps durable
 * submits close to the speed of a trivial route, and "durable before the id is returned" still holds.
 */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommit<T, R> {
  /** Queues one write; resolves after the transaction that holds it has committed. */
  submit(item: T): Promise<R>;
  /** Commits whatever is queued now (before closing the database). */
  flush(): void;
}

interface Waiting<T, R> {
  item: T;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * @param commitBatch runs the writes in ONE transaction and reports each one's own outcome; a failed
 * write must not abort the others. If it throws, every write of the batch fails with that error.
 */
export function createGroupCommit<T, R>(
  commitBatch: (items: readonly T[]) => Settled<R>[],
  onCommitted: (results: readonly R[]) => void = () => undefined,
): GroupCommit<T, R> {
  let waiting: Waiting<T, R>[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    let outcomes: Settled<R>[];
    try {
      outcomes = commitBatch(batch.map((entry) => entry.item));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    const committed: R[] = [];
    batch.forEach((entry, i) => {
      const outcome = outcomes[i] ?? { ok: false, error: new Error("group commit lost a write") };
      if (outcome.ok) {
        committed.push(outcome.value);
        entry.resolve(outcome.value);
      } else {
        entry.reject(outcome.error);
      }
    });
    onCommitted(committed);
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // setImmediate runs after the I/O callbacks of this turn (and all their microtasks), so
          // every request that arrived together is in the batch.
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}
