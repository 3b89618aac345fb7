import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { LogEntry, StatusBody } from "../../contract/queue.ts";

/** Where a request stands, as a person waiting for it wants to see it. */
export interface ProgressFacts {
  state: "queued" | "rendering" | "completed";
  /** 0–100. */
  percent: number;
  /** Requests ahead of this one (0: next), while queued. */
  queuePosition: number | null;
  elapsedMs: number;
  /** Time left, from the rate of the render so far; null until there is a rate. */
  etaMs: number | null;
}

/**
 * @param startedAt when the request was submitted
 * @param renderingSince when it was first seen running (the ETA counts from there, not from the queue)
 */
export function progressFacts(
  status: StatusBody,
  startedAt: number,
  renderingSince: number | undefined,
  now: number,
): ProgressFacts {
  const state =
    status.status === "IN_QUEUE" ? "queued" : status.status === "IN_PROGRESS" ? "rendering" : "completed";
  const fraction = state === "completed" ? 1 : state === "rendering" ? (status.progress ?? 0) : 0;
  const etaMs =
    state === "completed"
      ? 0
      : state === "rendering" && fraction > 0 && renderingSince !== undefined
        ? ((now - renderingSince) * (1 - fraction)) / fraction
        : null;
  return {
    state,
    percent: Math.floor(fraction * 100),
    queuePosition: state === "queued" ? status.queue_position : null,
    elapsedMs: now - startedAt,
    etaMs,
  };
}

/** `m:ss`, or `h:mm:ss` past an hour. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export interface ProgressView {
  /** A status from the server (its `logs` are every line so far). */
  update(status: StatusBody): void;
  /** A line of the CLI's own. */
  note(line: string): void;
  stop(): void;
}

export interface ProgressViewOptions {
  stream: NodeJS.WriteStream;
  /** A redrawn bar on a terminal; one line per change otherwise (logs, pipes, CI). */
  tty: boolean;
  now?: () => number;
}

/** Shows a request's progress on `stream` (stderr: stdout is kept for the result). */
export function createProgressView({ stream, tty, now = Date.now }: ProgressViewOptions): ProgressView {
  const startedAt = now();
  let renderingSince: number | undefined;
  let logsShown = 0;
  const newLogs = (status: StatusBody): LogEntry[] => {
    const logs = status.logs ?? [];
    const fresh = logs.slice(logsShown);
    logsShown = Math.max(logsShown, logs.length);
    return fresh;
  };
  const factsOf = (status: StatusBody) => {
    if (status.status === "IN_PROGRESS") renderingSince ??= now();
    return progressFacts(status, startedAt, renderingSince, now());
  };
  return tty ? barView(stream, factsOf, newLogs) : lineView(stream, factsOf, newLogs);
}

type FactsOf = (status: StatusBody) => ProgressFacts;
type NewLogs = (status: StatusBody) => LogEntry[];

function barView(stream: NodeJS.WriteStream, factsOf: FactsOf, newLogs: NewLogs): ProgressView {
  const bars = new MultiBar(
    {
      stream,
      format: "{state} |{bar}| {percentage}% | queue {queue} | elapsed {elapsed} | ETA {remaining}",
      hideCursor: true,
      barsize: 30,
    },
    Presets.shades_classic,
  );
  let bar: SingleBar | undefined;
  let stopped = false;
  // Lines before the bar exists are written at once: the bar's log buffer is only flushed by a redraw.
  const say = (line: string) => (bar ? bars.log(`${line}\n`) : stream.write(`${line}\n`));
  return {
    update(status) {
      for (const entry of newLogs(status)) say(entry.message);
      const facts = factsOf(status);
      const payload = {
        state: facts.state.padEnd(9),
        queue: facts.queuePosition === null ? "—" : `${facts.queuePosition} ahead`,
        elapsed: clock(facts.elapsedMs),
        remaining: facts.etaMs === null ? "—" : clock(facts.etaMs),
      };
      if (bar) bar.update(facts.percent, payload);
      else bar = bars.create(100, facts.percent, payload);
    },
    note: say,
    stop() {
      if (stopped || !bar) return;
      stopped = true;
      bars.update(); // the last log lines, then the final bar
      bars.stop();
    },
  };
}

function lineView(stream: NodeJS.WriteStream, factsOf: FactsOf, newLogs: NewLogs): ProgressView {
  let last = "";
  return {
    update(status) {
      for (const entry of newLogs(status)) stream.write(`  ${entry.message}\n`);
      const facts = factsOf(status);
      const where =
        facts.state === "queued"
          ? `queued, ${facts.queuePosition === null ? "waiting" : `${facts.queuePosition} ahead`}`
          : facts.state === "rendering"
            ? `rendering ${facts.percent}%`
            : "completed";
      // One line per change of state or queue position, and per tenth of the render.
      const key = facts.state === "rendering" ? `rendering ${Math.floor(facts.percent / 10)}` : where;
      if (key === last) return;
      last = key;
      const eta = facts.etaMs === null || facts.state === "completed" ? "" : `, ETA ${clock(facts.etaMs)}`;
      stream.write(`${where} (elapsed ${clock(facts.elapsedMs)}${eta})\n`);
    },
    note(line) {
      stream.write(`${line}\n`);
    },
    stop() {},
  };
}
