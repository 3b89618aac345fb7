import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** What `npx shotline` runs: loads tsx itself, so it works from any working directory. */
export const BIN = path.resolve(import.meta.dirname, "../../bin/shotline.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr (where progress and notes go). */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<CliRun>;
}

/**
 * Starts `shotline …` as a user would, in a clean environment: no key, URL or config file
 * inherited from the machine running the tests (XDG_CONFIG_HOME points nowhere).
 */
export function startCli(args: string[], env: Record<string, string> = {}, cwd?: string): RunningCli {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(FAL_KEY|SHOTLINE_)/.test(name)),
  );
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...inherited, XDG_CONFIG_HOME: "/nonexistent-shotline-test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(cwd !== undefined && { cwd }),
  });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = stderr.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  const exited = new Promise<CliRun>((resolve) =>
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStderr(pattern) {
      const match = stderr.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((run) =>
          reject(new Error(`shotline exited (${run.code}) before printing ${pattern}:\n${run.stderr}`)),
        );
      });
    },
    exited,
  };
}

/** Runs `shotline …` to its end. */
export const runCli = (args: string[], env: Record<string, string> = {}, cwd?: string) =>
  startCli(args, env, cwd).exited;

/** The id the CLI prints when its request is accepted (`request <id> (<endpoint>)`). */
export const REQUEST_LINE = /request ([0-9a-f-]{36}) \(/;
