import type { RequestRecord, RequestStore } from "../store/port.ts";

export interface WatchOptions {
  signal?: AbortSignal;
  /**
   * A change made by another process (a worker elsewhere) raises no event here, so the store is
   * also read at this interval.
   */
  pollMs?: number;
}

/**
 * Yields the request's record now and after each change, until it is COMPLETED (yielded last)
 * or the signal aborts. Consecutive yields may carry the same record.
 */
export async function* watchRequest(
  store: RequestStore,
  id: string,
  { signal, pollMs = 500 }: WatchOptions = {},
): AsyncGenerator<RequestRecord> {
  let wake: (() => void) | undefined;
  let changed: boolean | undefined;
  const unsubscribe = store.onChange((changedId) => {
    if (changedId !== id) return;
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      changed = false;
      const record = await store.get(id);
      if (!record) return;
      yield record;
      if (record.status === "COMPLETED") return;
      if (!changed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Resolves with the request's final record (or undefined if it vanished or the signal aborted). */
export async function waitForCompletion(
  store: RequestStore,
  id: string,
  options: WatchOptions = {},
): Promise<RequestRecord | undefined> {
  let last: RequestRecord | undefined;
  for await (const record of watchRequest(store, id, options)) last = record;
  return last?.status === "COMPLETED" ? last : undefined;
}
