import type { ChildProcess } from "node:child_process";

/** Bytes of stderr kept for error messages: the end is where ffmpeg says what went wrong. */
const STDERR_TAIL_CHARS = 8192;

export interface FfmpegOutput {
  /** The last few kilobytes ffmpeg wrote to stderr. */
  stderrTail(): string;
}

/**
 * Reads what an ffmpeg started with `-progress pipe:1` writes: the frame count from its progress
 * lines on stdout, and the tail of stderr for the error message should it fail.
 */
export function watchFfmpegOutput(
  child: ChildProcess,
  onProgress?: (framesDone: number) => void,
): FfmpegOutput {
  let stderrTail = "";
  let progressRest = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    const lines = (progressRest + chunk).split("\n");
    progressRest = lines.pop() ?? "";
    for (const line of lines) {
      const match = /^frame=(\d+)/.exec(line);
      if (match) onProgress?.(Number(match[1]));
    }
  });
  return { stderrTail: () => stderrTail };
}
