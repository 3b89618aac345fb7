import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

const MAIN = path.resolve(import.meta.dirname, "../../src/cli/main.ts");

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
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, "worker", "--health-port", "0", ...args], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      SHOTLINE_DATA_DIR: dataDir,
      SHOTLINE_LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = await new Promise<{ id: string; healthUrl: string }>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (typeof entry.health_url === "string" && typeof entry.worker_id === "string") {
          resolve({ id: entry.worker_id, healthUrl: entry.health_url });
        }
      } catch {
        // not a JSON log line
      }
    });
    void exited.then((code) => reject(new Error(`worker exited (${code}) before running:\n${stderr}`)));
    setTimeout(() => reject(new Error(`worker did not start in 30 s:\n${stderr}`)), 30_000).unref();
  });
  return {
    ...started,
    child,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
  };
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
