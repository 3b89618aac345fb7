import { useEffect, useRef } from "preact/hooks";
import { formatUsd } from "../form/draft.ts";
import type { RunView } from "./use-run.ts";

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

function statusLine(run: RunView): string {
  if (run.error !== undefined) {
    if (run.errorType === "cancelled") return "Cancelled";
    return run.errorType === "client" ? "Connection lost" : "Failed";
  }
  if (run.status === "IN_QUEUE") {
    const ahead = run.queuePosition;
    return ahead === null ? "In queue" : `In queue · position ${ahead + 1} (${ahead} ahead)`;
  }
  if (run.status === "IN_PROGRESS") return "Rendering";
  return run.video ? "Done" : "Finishing";
}

/** One request as it goes: queue position, progress, streamed log lines, then the video. */
export function RunPanel({ run, onCancel }: { run: RunView; onCancel: () => void }) {
  const logEnd = useRef<HTMLLIElement>(null);
  useEffect(() => logEnd.current?.scrollIntoView({ block: "nearest" }), [run.logs.length]);
  const active = run.status !== "COMPLETED" && run.error === undefined;
  const percent = Math.round(run.progress * 100);

  return (
    <section class="run-panel" data-request-id={run.entry.requestId} aria-live="polite">
      <header class="run-head">
        <h2>
          <span data-run-status>{statusLine(run)}</span>
        </h2>
        <code class="request-id">{run.entry.requestId}</code>
      </header>
      <div class="progress">
        <progress max={1} value={run.progress} aria-label="Progress" />
        <span data-progress-percent>{percent} %</span>
      </div>
      {active && (
        <button type="button" class="cancel" disabled={run.cancelling} onClick={onCancel}>
          {run.cancelling ? "Cancelling…" : "Cancel"}
        </button>
      )}
      {run.error !== undefined && (
        <p class="run-error" role="alert">
          {run.error}
        </p>
      )}
      {run.logs.length > 0 && (
        <ol class="logs" data-logs>
          {run.logs.map((log, index) => (
            <li key={index} class={`log-${log.level.toLowerCase()}`}>
              <time>{log.timestamp.slice(11, 19)}</time> {log.message}
            </li>
          ))}
          <li ref={logEnd} class="log-end" aria-hidden="true" />
        </ol>
      )}
      {run.video && (
        <figure class="result">
          <video
            src={run.video.url}
            controls
            playsInline
            preload="auto"
            width={run.video.width}
            height={run.video.height}
            data-result-video
          />
          <figcaption>
            <span data-video-size>
              {run.video.width}×{run.video.height}
            </span>
            {" · "}
            <span data-video-duration>{run.video.duration} s</span>
            {" · "}
            {megabytes(run.video.file_size)}
            {run.costUsd !== undefined && (
              <>
                {" · "}
                <span data-video-cost>{formatUsd(run.costUsd)}</span>
              </>
            )}
            {" · "}
            <a href={run.video.url} download={run.video.file_name}>
              Download
            </a>
          </figcaption>
        </figure>
      )}
    </section>
  );
}
