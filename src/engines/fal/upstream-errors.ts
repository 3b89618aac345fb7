import { ApiError } from "@fal-ai/client";
import { InputRejectedError, UnrecoverableError } from "../port.ts";

/** Statuses where asking again later may succeed; other 4xx answers are final. */
const TRANSIENT_CLIENT_STATUSES = new Set([408, 429]);

/**
 * What a failed call to the upstream queue means for the request:
 * - 422: the model refused the input → `InputRejectedError` carrying the upstream `detail` as is;
 * - other 4xx (bad key, no credit, unknown request…): `UnrecoverableError`, another attempt would
 *   get the same answer;
 * - 5xx, 408, 429 or no answer at all (the client has already retried those it retries): a plain
 *   error, so the worker tries the request again after its backoff.
 */
export function upstreamFailure(step: string, error: unknown): Error {
  if (error instanceof ApiError && error.status === 422) {
    const detail = detailOf(error) ?? error.message;
    return new InputRejectedError(`fal rejected the input (422): ${describeDetail(detail)}`, detail);
  }
  if (error instanceof ApiError) {
    const detail = detailOf(error);
    const said = detail === undefined ? error.message : describeDetail(detail);
    const message = `fal answered ${error.status} to ${step}: ${said}`;
    if (error.status === 401 || error.status === 403) {
      return new UnrecoverableError(`${message} (check SHOTLINE_FAL_KEY)`, { cause: error });
    }
    if (error.status < 500 && !TRANSIENT_CLIENT_STATUSES.has(error.status)) {
      return new UnrecoverableError(message, { cause: error });
    }
    return new Error(message, { cause: error });
  }
  const reason = error instanceof Error ? causeChain(error) : String(error);
  return new Error(`fal could not be reached for ${step}: ${reason}`, { cause: error });
}

const detailOf = (error: ApiError<unknown>): unknown =>
  typeof error.body === "object" && error.body !== null && "detail" in error.body
    ? (error.body as { detail: unknown }).detail
    : undefined;

/** A `detail` for people: pydantic entries as `field: message`, anything else as JSON. */
export function describeDetail(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((entry: { loc?: unknown; msg?: unknown }) => {
        const field = Array.isArray(entry.loc) ? entry.loc.filter((part) => part !== "body").join(".") : "";
        const msg = typeof entry.msg === "string" ? entry.msg : JSON.stringify(entry);
        return field === "" ? msg : `${field}: ${msg}`;
      })
      .join("; ");
  }
  return JSON.stringify(detail) ?? String(detail);
}

/** `fetch failed (connect ECONNREFUSED …)`: undici keeps the useful part in `cause`. */
function causeChain(error: Error): string {
  const parts = [error.message];
  let cause: unknown = error.cause;
  while (cause instanceof Error && parts.length < 4) {
    parts.push(cause.message);
    cause = cause.cause;
  }
  return parts.join(": ");
}
