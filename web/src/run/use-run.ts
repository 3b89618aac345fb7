import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/api-error.ts";
import type { LogEntry, StatusBody, VideoFile } from "../api/contract.ts";
import type { ShotlineClient } from "../api/shotline-client.ts";
import { saveHistoryEntry, type HistoryEntry } from "../history/history-store.ts";

/** What the run panel shows of one request. */
export interface RunView {
  entry: HistoryEntry;
  status: StatusBody["status"];
  queuePosition: number | null;
  /** 0 to 1. */
  progress: number;
  logs: LogEntry[];
  video?: VideoFile;
  costUsd?: number;
  error?: string;
  errorType?: string;
  cancelling: boolean;
}

/**
 * Follows one request at a time: status stream → result, keeping its history entry up to date.
 * `onSettled` runs when the entry changes for good (done or failed).
 */
export function useRun(client: ShotlineClient, onSettled: () => void) {
  const [run, setRun] = useState<RunView | null>(null);
  const watching = useRef<AbortController | null>(null);
  useEffect(() => () => watching.current?.abort(), []);

  const follow = useCallback(
    async (entry: HistoryEntry) => {
      watching.current?.abort();
      const controller = new AbortController();
      watching.current = controller;
      const update = (change: (view: RunView) => RunView) =>
        setRun((view) => (view && view.entry.requestId === entry.requestId ? change(view) : view));
      setRun({ entry, status: "IN_QUEUE", queuePosition: null, progress: 0, logs: [], cancelling: false });
      const settle = (outcome: Partial<HistoryEntry> & Pick<HistoryEntry, "outcome">) => {
        saveHistoryEntry({ ...entry, ...outcome });
        onSettled();
      };
      try {
        const final = await client.watch(
          entry.statusUrl,
          (status, firstOfConnection) =>
            update((view) => ({
              ...view,
              status: status.status,
              queuePosition: status.queue_position,
              progress: status.progress ?? view.progress,
              logs: firstOfConnection ? (status.logs ?? []) : [...view.logs, ...(status.logs ?? [])],
            })),
          controller.signal,
        );
        const { error, error_type: errorType = "error" } = final;
        if (error !== undefined) {
          update((view) => ({ ...view, error, errorType }));
          settle({ outcome: "failed", error, errorType });
          return;
        }
        const { video } = await client.result(entry.responseUrl);
        const costUsd = final.metrics?.cost_usd;
        update((view) => ({ ...view, progress: 1, video, ...(costUsd !== undefined && { costUsd }) }));
        settle({ outcome: "done", video, ...(costUsd !== undefined && { costUsd }) });
      } catch (error) {
        if (controller.signal.aborted) return;
        const message = `Lost track of the request: ${error instanceof Error ? error.message : String(error)}`;
        update((view) => ({ ...view, status: "COMPLETED", error: message, errorType: "client" }));
        // A 404 means the server no longer has it; anything else may be passing.
        if (error instanceof ApiError && error.status === 404) settle({ outcome: "failed", error: message });
      }
    },
    [client, onSettled],
  );

  /** A finished request from history, as it ended. */
  const show = useCallback((entry: HistoryEntry) => {
    watching.current?.abort();
    setRun({
      entry,
      status: "COMPLETED",
      queuePosition: null,
      progress: entry.outcome === "done" ? 1 : 0,
      logs: [],
      ...(entry.video && { video: entry.video }),
      ...(entry.costUsd !== undefined && { costUsd: entry.costUsd }),
      ...(entry.error !== undefined && { error: entry.error }),
      ...(entry.errorType !== undefined && { errorType: entry.errorType }),
      cancelling: false,
    });
  }, []);

  const cancel = useCallback(async () => {
    if (!run) return;
    setRun({ ...run, cancelling: true });
    try {
      await client.cancel(run.entry.cancelUrl);
    } catch (error) {
      // ALREADY_COMPLETED: the stream brings the end anyway.
      if (!(error instanceof ApiError && error.status === 400)) {
        const message = error instanceof Error ? error.message : String(error);
        setRun((view) => view && { ...view, cancelling: false, error: message });
      }
    }
  }, [client, run]);

  return { run, follow, show, cancel };
}
