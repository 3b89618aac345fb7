import type { ComfyClient, HistoryEntry, PromptState } from "./client.ts";
import { ComfyuiUnavailableError, PromptFailedError } from "./errors.ts";
import type { ComfySocket } from "./socket.ts";

export interface WaitOptions {
  client: ComfyClient;
  socket: ComfySocket;
  promptId: string;
  /** Aborting ends the wait (with the signal's reason); withdrawing the prompt is the caller's job. */
  signal: AbortSignal;
  /** Poll interval while the socket is down. Default 1 s. */
  pollMs?: number;
  /** Check interval while the socket is up, for messages lost in a reconnect. Default 5 s. */
  checkMs?: number;
  /** How long ComfyUI may stay unreachable before the wait fails. Default 60 s. */
  unreachableMs?: number;
  /** Fraction of the prompt done, from the sampler's `progress` messages; never goes back. */
  onProgress?: (fraction: number) => void;
  /** Called when ComfyUI first reports the prompt running. */
  onRunning?: () => void;
}

/** After the socket says a prompt ended, history is written a moment later: look again soon. */
const SETTLE_POLL_MS = 50;

/**
 * Waits until ComfyUI has finished a prompt and returns its history entry. The websocket says when
 * to look; `/queue` + `/history` say what is true, so a dropped socket only slows the wait down and
 * a prompt ComfyUI no longer knows fails it instead of hanging it.
 */
export async function waitForPrompt(options: WaitOptions): Promise<HistoryEntry> {
  const { client, socket, promptId, signal } = options;
  const pollMs = options.pollMs ?? 1000;
  const checkMs = options.checkMs ?? 5000;
  const unreachableMs = options.unreachableMs ?? 60_000;

  let wake: (() => void) | undefined;
  let ended = false;
  let running = false;
  let progress = 0;
  const markRunning = () => {
    if (running) return;
    running = true;
    options.onRunning?.();
  };
  const unwatch = socket.watch(promptId, (event) => {
    switch (event.type) {
      case "started":
      case "executing":
        markRunning();
        break;
      case "progress":
        markRunning();
        progress = Math.max(progress, Math.min(1, event.value / event.max));
        options.onProgress?.(progress);
        break;
      case "finished":
      case "failed":
      case "interrupted":
        ended = true;
        wake?.();
        break;
      case "connected":
        // Messages may have been lost while it was down: look now.
        wake?.();
        break;
      case "disconnected":
        break;
    }
  });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      wake = done;
    });

  try {
    let unreachableSince: number | undefined;
    for (;;) {
      signal.throwIfAborted();
      let state: PromptState | undefined;
      try {
        state = await client.state(promptId);
        unreachableSince = undefined;
      } catch (error) {
        if (!(error instanceof ComfyuiUnavailableError)) throw error;
        unreachableSince ??= Date.now();
        if (Date.now() - unreachableSince > unreachableMs) throw error;
      }
      signal.throwIfAborted();
      if (state?.kind === "done") return checked(state.entry, promptId);
      if (state?.kind === "unknown") {
        throw new PromptFailedError(
          `ComfyUI does not know prompt ${promptId}: it is neither queued nor in history ` +
            "(ComfyUI restarted, its queue was cleared or its history trimmed)",
        );
      }
      if (state?.kind === "running") markRunning();
      await sleep(ended ? SETTLE_POLL_MS : socket.connected && state ? checkMs : pollMs);
    }
  } finally {
    unwatch();
  }
}

/** A finished entry whose status says error becomes a `PromptFailedError` with ComfyUI's words. */
function checked(entry: HistoryEntry, promptId: string): HistoryEntry {
  if (entry.status?.status_str !== "error") return entry;
  const messages = entry.status.messages ?? [];
  const error = messages.find(([event]) => event === "execution_error")?.[1];
  if (error) {
    const where = error["node_type"]
      ? ` in node ${String(error["node_id"])} (${String(error["node_type"])})`
      : "";
    throw new PromptFailedError(
      `ComfyUI prompt ${promptId} failed${where}: ${String(error["exception_message"] ?? "execution error").trim()}`,
    );
  }
  if (messages.some(([event]) => event === "execution_interrupted")) {
    throw new PromptFailedError(`ComfyUI prompt ${promptId} was interrupted on the ComfyUI server`);
  }
  throw new PromptFailedError(`ComfyUI prompt ${promptId} ended with an error`);
}
