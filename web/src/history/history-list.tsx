import type { HistoryEntry } from "./history-store.ts";

function summary(entry: HistoryEntry): string {
  const text = entry.input.multi_prompt
    ? `${entry.input.multi_prompt.length} shots: ${entry.input.multi_prompt.map((shot) => shot.prompt).join(" / ")}`
    : (entry.input.prompt ?? "");
  return text.trim() || "(no prompt)";
}

/** This browser's requests (for the current key), each with its first frame as thumbnail. */
export function HistoryList({
  entries,
  onOpen,
}: {
  entries: HistoryEntry[];
  onOpen: (entry: HistoryEntry) => void;
}) {
  if (entries.length === 0) return <p class="hint">Requests you make here are listed here.</p>;
  return (
    <ul class="history" data-history>
      {entries.map((entry) => (
        <li key={entry.requestId}>
          <button
            type="button"
            class="history-entry"
            data-history-entry={entry.requestId}
            onClick={() => onOpen(entry)}
          >
            {entry.video ? (
              // The media fragment makes the browser fetch and show the first frame.
              <video
                class="thumbnail"
                src={`${entry.video.url}#t=0.1`}
                preload="metadata"
                muted
                playsInline
              />
            ) : (
              <span class={`thumbnail placeholder ${entry.outcome}`}>
                {entry.outcome === "pending" ? "…" : "✕"}
              </span>
            )}
            <span class="history-text">
              <span class="history-prompt">{summary(entry)}</span>
              <span class="hint">
                {new Date(entry.submittedAt).toLocaleString()} · {entry.input.aspect_ratio} ·{" "}
                {entry.outcome === "failed" ? (entry.error ?? "failed") : entry.outcome}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
