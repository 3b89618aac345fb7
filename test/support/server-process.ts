import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

const MAIN = path.resolve(import.meta.dirname, "../../src/cli/main.ts");

export interface ServerProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Every JSON log line the server printed so far. */
  logs: Record<string, unknown>[];
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing flushed, nothing cleaned up. */
  kill9(): Promise<void>;
  /** Removes the data dir (after stop). */
  cleanup(): Promise<void>;
}

/**
 * Starts `shotline serve` as a child process on a free port with its own data dir (or the one
 * given, to restart after a crash) and waits until it logs the URL it serves.
 */
export async function startServer(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<ServerProcess> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "shotline-test-")));
  const started = await startCli(
    ["serve"],
    { PORT: "0", SHOTLINE_DATA_DIR: dir, ...env },
    (entry) => (typeof entry.url === "string" ? entry.url : undefined),
    "server",
  );
  return {
    ...started,
    url: started.ready,
    dataDir: dir,
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CliProcess<T> {
  /** What the readiness test found in the log line that said the process is up. */
  ready: T;
  child: ChildProcess;
  /** Every JSON log line the process printed so far. */
  logs: Record<string, unknown>[];
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing flushed, nothing cleaned up. */
  kill9(): Promise<void>;
}

/**
 * Runs `shotline <args>` (on 127.0.0.1, logging at info) and waits for the first JSON log line for
 * which `ready` gives a value; fails with its stderr if it exits first or takes over 30 s.
 */
export async function startCli<T>(
  args: string[],
  env: Record<string, string>,
  ready: (entry: Record<string, unknown>) => T | undefined,
  what: string,
): Promise<CliProcess<T>> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { ...process.env, HOST: "127.0.0.1", SHOTLINE_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const found = await new Promise<T>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        const value = ready(entry);
        if (value !== undefined) resolve(value);
      } catch {
        // not a JSON log line
      }
    });
    void exited.then((code) => reject(new Error(`${what} exited (${code}) before it was up:\n${stderr}`)));
    setTimeout(() => reject(new Error(`${what} did not start in 30 s:\n${stderr}`)), 30_000).unref();
  });
  return {
    ready: found,
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

export const ENDPOINT = "fal-ai/kling-video/v3/turbo/pro/text-to-video";

/** POST JSON (or a raw string body) and read the JSON answer. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { response, body: (await response.json()) as Record<string, unknown> };
}

/** Polls the status URL until COMPLETED. */
export async function waitCompleted(
  statusUrl: string,
  timeoutMs = 120_000,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getJson(`${statusUrl}?logs=1`, { headers });
    if (body.status === "COMPLETED") return body;
    if (Date.now() > deadline) throw new Error(`not completed in time: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
