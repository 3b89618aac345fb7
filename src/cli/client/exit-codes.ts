import { ApiError } from "@fal-ai/client";
import { UsageError } from "../usage-error.ts";

/** What the client verbs exit with; scripts tell the cases apart by these alone. */
export const EXIT = {
  ok: 0,
  /** The server failed or could not be reached, or anything else unforeseen. */
  failure: 1,
  /** Bad flags or input, found here or by the server (422). */
  usage: 2,
  /** The server refused the key (401, 403). */
  auth: 3,
  /** Out of budget (402). */
  payment: 4,
  /** The request ran and ended with an error (failed, cancelled, timed out). */
  requestFailed: 5,
  /** Ctrl-C: the request was cancelled on the server. */
  interrupted: 130,
} as const;

export const EXIT_CODES_USAGE = `Exit codes: 0 done · 1 server or other error · 2 bad flags or input (checked here, or the server's 422)
  · 3 key refused (401/403) · 4 out of budget (402) · 5 the request ended with an error · 130 Ctrl-C (request cancelled)`;

/** A request that ran to its end without a result: the status carries `error` and `error_type`. */
export class RequestFailedError extends Error {
  override name = "RequestFailedError";
  constructor(
    readonly requestId: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`request ${requestId} ended with an error (${errorType}): ${message}`);
  }
}

/** The exit code for an error a client verb threw. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof RequestFailedError) return EXIT.requestFailed;
  if (error instanceof ApiError) {
    if (error.status === 422) return EXIT.usage;
    if (error.status === 401 || error.status === 403) return EXIT.auth;
    if (error.status === 402) return EXIT.payment;
  }
  return EXIT.failure;
}

/** One line for the terminal, with what the server said (a 422 names each field it refused). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const body = error.body as { detail?: unknown; status?: unknown } | undefined;
    const detail = body?.detail;
    let said: string;
    if (Array.isArray(detail)) {
      said = detail
        .map(
          (d: { loc?: unknown[]; msg?: string }) => `${(d.loc ?? []).slice(1).join(".") || "body"}: ${d.msg}`,
        )
        .join("; ");
    } else if (typeof detail === "string") said = detail;
    else if (typeof body?.status === "string") said = body.status;
    else said = error.message;
    const hint =
      error.status === 401 || error.status === 403
        ? " (give a key with --key, FAL_KEY or the config file)"
        : error.status === 404
          ? " (unknown here: another server, endpoint or key?)"
          : "";
    return `the server answered ${error.status}: ${said}${hint}`;
  }
  if (isUnreachable(error)) {
    return `cannot reach the server (${error.cause.message}): check --url, SHOTLINE_URL or "url" in the config file`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** fetch's own failure (refused, reset, unknown host…), as opposed to an answer from the server. */
export const isUnreachable = (error: unknown): error is TypeError & { cause: Error } =>
  error instanceof TypeError && error.cause instanceof Error;
