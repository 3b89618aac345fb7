import { resultResponse } from "../jobs/status.ts";
import type { RequestRecord } from "../store/port.ts";

/**
 * The body of a webhook delivery, fal's shape: `status` says whether the request produced a
 * result; `payload` is what the result URL answers (the output, or the error body on ERROR).
 * fal sends `error: null` on success rather than leaving it out, and so does Shotline.
 */
export interface WebhookPayload {
  request_id: string;
  /** fal: the id of the last attempt. Shotline retries inside one request, so it is the same id. */
  gateway_request_id: string;
  status: "OK" | "ERROR";
  payload: unknown;
  error: string | null;
  /** Only when the payload could not be serialised as JSON; `payload` is then null. */
  payload_error?: string;
}

/**
 * The payload of a finished request. File URLs, stored relative to the server, are made absolute
 * with the origin the caller submitted through, so the receiver can fetch them.
 */
export function webhookPayload(record: RequestRecord): WebhookPayload {
  if (record.status !== "COMPLETED") {
    throw new Error(`Request ${record.id} has not ended: there is nothing to deliver yet`);
  }
  const filesBase = record.origin ?? "";
  const response = resultResponse({ queueBase: `${filesBase}/queue`, filesBase }, record);
  const ok = record.error === null;
  return {
    request_id: record.id,
    gateway_request_id: record.id,
    status: ok ? "OK" : "ERROR",
    payload: response.body,
    error: ok ? null : `Invalid status code: ${response.httpStatus}`,
  };
}

/** The exact JSON text to send and sign. A payload that is not JSON becomes fal's `payload_error`. */
export function webhookBody(record: RequestRecord): string {
  const payload = webhookPayload(record);
  try {
    return JSON.stringify(payload);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return JSON.stringify({
      ...payload,
      payload: null,
      payload_error: `Payload is not valid JSON: ${reason}`,
    });
  }
}
