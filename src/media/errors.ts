/**
 * Errors of the media layer. Callers tell them apart by class (`instanceof`), never by message text:
 * a cancel is not a failure, and an ffmpeg failure carries what ffmpeg said.
 */

/** The encode was stopped by its `AbortSignal`; the ffmpeg child is dead and no output was left. */
export class EncodeAbortedError extends Error {
  override name = "EncodeAbortedError";

  constructor(options?: ErrorOptions) {
    super("Encoding was aborted", options);
  }
}

/** A media tool (ffmpeg, ffprobe) failed; `stderr` holds the tail of what it printed. */
export class MediaToolError extends Error {
  override name = "MediaToolError";
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(message: string, details: { exitCode: number | null; stderr: string }, options?: ErrorOptions) {
    const tail = details.stderr.trim();
    super(tail === "" ? message : `${message}: ${tail}`, options);
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}
