import type { LogEntry, QueueReceipt, StatusBody } from "../contract/queue.ts";
import type { RequestRecord } from "../store/port.ts";
import { endpointIdentity } from "./endpoints.ts";

/**
 * Where a caller follows its request. Direct callers get this server's origin; callers that came
 * through `/fal/proxy` get fal's own URL space, so their proxy keeps serving them.
 */
export interface UrlSpace {
  /** Prefix of request URLs, e.g. `http://127.0.0.1:8000/queue` or `https://queue.fal.run`. */
  queueBase: string;
  /** Origin that output files are served from (always this server or its storage). */
  filesBase: string;
}

export function requestUrls(space: UrlSpace, record: Pick<RequestRecord, "id" | "endpointId">) {
  const base = `${space.queueBase}/${endpointIdentity(record.endpointId).app}/requests/${record.id}`;
  return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
}

export function queueReceipt(space: UrlSpace, record: RequestRecord, position: number | null): QueueReceipt {
  return {
    request_id: record.id,
    ...requestUrls(space, record),
    queue_position: position,
    status: "IN_QUEUE",
  };
}

/** The status body fal's clients read; `logs` is null unless asked for, but the key is always there. */
export function statusBody(
  space: UrlSpace,
  record: RequestRecord,
  position: number | null,
  logs: LogEntry[] | null,
): StatusBody {
  const body: StatusBody = {
    status: record.status,
    request_id: record.id,
    ...requestUrls(space, record),
    queue_position: record.status === "IN_QUEUE" ? position : null,
    logs,
  };
  if (record.status === "IN_PROGRESS" && record.progress !== null) body.progress = record.progress;
  if (record.status === "COMPLETED") {
    if (record.metrics) body.metrics = record.metrics;
    if (record.error) {
      body.error = record.error.message;
      body.error_type = record.error.type;
    }
  }
  return body;
}

export interface ResultResponse {
  httpStatus: number;
  body: unknown;
  headers: Record<string, string>;
}

/** What the result URL answers: the output, the request's error, or "still in progress". */
export function resultResponse(space: UrlSpace, record: RequestRecord): ResultResponse {
  if (record.status !== "COMPLETED") {
    return { httpStatus: 400, body: { detail: "Request is still in progress" }, headers: {} };
  }
  const { error } = record;
  if (error) {
    const headers: Record<string, string> = { "x-fal-error-type": error.type };
    if (error.type === "request_timeout") headers["x-fal-request-timeout-type"] = "user";
    const body = { detail: error.detail ?? error.message, error_type: error.type };
    return { httpStatus: error.httpStatus, body, headers };
  }
  return { httpStatus: 200, body: withAbsoluteFileUrls(record.result, space.filesBase), headers: {} };
}

/** How stored file URLs begin: `/files/<storage key>`. */
const FILES_PATH = "/files/";

/**
 * Results are stored with file URLs relative to the server (`/files/…`), so that the origin a
 * caller used (or a proxy in front of it) decides the absolute URL it gets back.
 */
export function withAbsoluteFileUrls(value: unknown, filesBase: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withAbsoluteFileUrls(item, filesBase));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) =>
      key === "url" && typeof item === "string" && item.startsWith(FILES_PATH)
        ? [key, `${filesBase}${item}`]
        : [key, withAbsoluteFileUrls(item, filesBase)],
    ),
  );
}

/**
 * Stored file URLs (`/files/<key>`) replaced by what `sign` makes of their storage key, such as a
 * presigned storage URL; signed at read time, so a stored result never holds an expiring URL.
 */
export async function withSignedFileUrls(
  value: unknown,
  sign: (key: string) => Promise<string>,
): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => withSignedFileUrls(item, sign)));
  if (value === null || typeof value !== "object") return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([key, item]) =>
      key === "url" && typeof item === "string" && item.startsWith(FILES_PATH)
        ? [key, await sign(item.slice(FILES_PATH.length))]
        : [key, await withSignedFileUrls(item, sign)],
    ),
  );
  return Object.fromEntries(entries);
}
