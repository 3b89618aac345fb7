import type { Logger } from "pino";
import { InvalidKeyError } from "../storage/errors.ts";
import type { FileStorage } from "../storage/port.ts";
import type { FileRetention } from "../store/port.ts";

export interface RetentionOptions {
  store: FileRetention;
  storage: Pick<FileStorage, "delete">;
  logger: Logger;
  /** Pause between sweeps. */
  intervalMs?: number;
  /** Requests read from the store at a time. */
  batch?: number;
}

export interface RetentionSweeper {
  /** Sweeps now, then every `intervalMs`, until `stop`. */
  start(): void;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
  /** Deletes the files of every request expired at `now` (epoch ms); resolves to how many requests. */
  sweepOnce(now?: number): Promise<number>;
}

/** The one file a request leaves in storage (see run-request.ts). */
const OUTPUT_FILE = "output.mp4";

/**
 * Deletes output files past their lifetime and marks their requests, so that the file URL
 * answers 410 rather than 404. The file goes first and the mark second: a crash in between
 * leaves a request that the next sweep deletes again, which is harmless, never a marked request
 * whose file stays on disk forever. Several processes may sweep the same store: deletes and
 * marks repeat without harm.
 *
 * @example
 * const sweeper = createRetentionSweeper({ store, storage, logger });
 * sweeper.start();
 * // on shutdown
 * await sweeper.stop();
 */
export function createRetentionSweeper({
  store,
  storage,
  logger,
  intervalMs = 60_000,
  batch = 100,
}: RetentionOptions): RetentionSweeper {
  const log = logger.child({ component: "retention" });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  /** True when the request no longer has a file to delete. */
  async function deleteFiles(id: string): Promise<boolean> {
    try {
      await storage.delete(`${id}/${OUTPUT_FILE}`);
      return true;
    } catch (error) {
      // No file can live under a key that is not valid: there is nothing left to delete.
      if (error instanceof InvalidKeyError) return true;
      log.warn({ err: error, request_id: id }, "could not delete an expired file; will try again");
      return false;
    }
  }

  async function sweepOnce(now = Date.now()): Promise<number> {
    // Requests whose delete failed stay expired in the store; they are skipped for the rest of
    // this sweep (and retried by the next), so that they cannot block the ones behind them.
    const failed = new Set<string>();
    const marked = new Set<string>();
    for (;;) {
      const ids = (await store.expiredFiles(now, batch + failed.size)).filter((id) => !failed.has(id));
      if (ids.length === 0) break;
      for (const id of ids) {
        if (marked.has(id)) {
          // A mark that did not stick would bring the same id back forever: stop at the second sight.
          log.error({ request_id: id }, "a request marked as swept is still listed as expired");
          failed.add(id);
        } else if (await deleteFiles(id)) {
          await store.markFilesDeleted(id, now);
          marked.add(id);
        } else {
          failed.add(id);
        }
      }
      if (ids.length < batch) break;
    }
    if (marked.size > 0 || failed.size > 0) {
      log.info({ deleted: marked.size, failed: failed.size }, "expired files swept");
    }
    return marked.size;
  }

  function schedule(delayMs: number) {
    timer = setTimeout(() => {
      running = sweepOnce()
        .catch((error: unknown) => log.error({ err: error }, "retention sweep failed"))
        .finally(() => {
          running = undefined;
          if (!stopped) schedule(intervalMs);
        });
    }, delayMs);
    // The sweep never keeps a process alive on its own.
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
    sweepOnce,
  };
}
