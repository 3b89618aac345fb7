import type { ChildProcess } from "node:child_process";

import { startCli } from "../support/server-process.ts";

export interface WorkerProcess {
  id: string;
  healthUrl: string;
  child: ChildProcess;
  /** Every JSON log line the worker printed so far. */
  logs: Record<string, unknown>[];
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing released, nothing retired. */
  kill9(): Promise<void>;
}

/** Starts `shotline worker` on the given data dir with a health port of its own, once it says it runs. */
export async function startWorker(
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<WorkerProcess> {
  const started = await startCli(
    ["worker", "--health-port", "0", ...args],
    { SHOTLINE_DATA_DIR: dataDir, ...env },
    (entry) =>
      typeof entry.health_url === "string" && typeof entry.worker_id === "string"
        ? { id: entry.worker_id, healthUrl: entry.health_url }
        : undefined,
    "worker",
  );
  return { ...started, ...started.ready };
}

/** The `data:` events of a status stream, parsed, until the stream ends. */
export async function readStatusStream(url: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(url, { headers: { accept: "text/event-stream" } });
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
  const events: Record<string, unknown>[] = [];
  let buffer = "";
  for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trim())
        .join("\n");
      if (data !== "") events.push(JSON.parse(data) as Record<string, unknown>);
    }
  }
  return events;
}

/** A short render: 3 s of previz (72 frames), the cheapest request the service takes. */
export const TINY_INPUT = { prompt: "A lighthouse on a cliff at dusk, the camera eases in", duration: "3" };
