import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { it } from "node:test";
import { clock, createProgressView, progressFacts } from "../../src/cli/client/progress.ts";
import type { LogEntry, StatusBody } from "../../src/contract/queue.ts";

const status = (fields: Partial<StatusBody>): StatusBody => ({
  status: "IN_QUEUE",
  request_id: "r",
  response_url: "",
  status_url: "",
  cancel_url: "",
  queue_position: null,
  logs: null,
  ...fields,
});
const log = (message: string): LogEntry => ({ message, level: "INFO", source: "USER", timestamp: "" });

it("estimates the time left from the render's own rate, not from the time spent queued", () => {
  // Submitted at 0, queued until 60 s, 25% done at 70 s: 10 s per quarter, 30 s to go.
  const running = progressFacts(status({ status: "IN_PROGRESS", progress: 0.25 }), 0, 60_000, 70_000);
  assert.deepEqual(running, {
    state: "rendering",
    percent: 25,
    queuePosition: null,
    elapsedMs: 70_000,
    etaMs: 30_000,
  });
  const queued = progressFacts(status({ queue_position: 2 }), 0, undefined, 5_000);
  assert.deepEqual([queued.state, queued.queuePosition, queued.etaMs], ["queued", 2, null]);
  const started = progressFacts(status({ status: "IN_PROGRESS", progress: 0 }), 0, 1_000, 1_000);
  assert.equal(started.etaMs, null, "no rate yet");
  const done = progressFacts(status({ status: "COMPLETED" }), 0, 1_000, 9_000);
  assert.deepEqual([done.percent, done.etaMs], [100, 0]);
  assert.deepEqual([clock(0), clock(65_000), clock(3_725_000)], ["0:00", "1:05", "1:02:05"]);
});

it("off a terminal, prints each log line once and one line per change of state or tenth of the render", () => {
  const stream = new PassThrough();
  let now = 0;
  const view = createProgressView({
    stream: stream as unknown as NodeJS.WriteStream,
    tty: false,
    now: () => now,
  });
  const updates: Partial<StatusBody>[] = [
    { queue_position: 1 },
    { queue_position: 1 },
    { queue_position: 0 },
    { status: "IN_PROGRESS", progress: 0, logs: [log("Attempt 1")] },
    { status: "IN_PROGRESS", progress: 0.05, logs: [log("Attempt 1")] },
    { status: "IN_PROGRESS", progress: 0.5, logs: [log("Attempt 1"), log("shot 1/1")] },
    { status: "COMPLETED", logs: [log("Attempt 1"), log("shot 1/1"), log("Done")] },
  ];
  for (const fields of updates) {
    now += 1_000;
    view.update(status(fields));
  }
  view.stop();
  assert.deepEqual(String(stream.read()).trimEnd().split("\n"), [
    "queued, 1 ahead (elapsed 0:01)",
    "queued, 0 ahead (elapsed 0:03)",
    "  Attempt 1",
    "rendering 0% (elapsed 0:04)",
    "  shot 1/1",
    "rendering 50% (elapsed 0:06, ETA 0:02)",
    "  Done",
    "completed (elapsed 0:07)",
  ]);
});
