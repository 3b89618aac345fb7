import type { RequestRecord } from "../store/port.ts";

export type GoneFileFacts = Pick<RequestRecord, "filesDeletedAt" | "filesExpireAt" | "retentionSeconds">;

/**
 * The 410 body for an output file that the retention sweep deleted, or undefined when the
 * request's files were never deleted (then a missing file is a plain 404).
 *
 * @example
 * fileGoneBody(record)
 * // { detail: "This file expired on 2026-01-08T10:00:00.000Z and was deleted (kept 604800 s after completion)" }
 */
export function fileGoneBody(record: GoneFileFacts): { detail: string } | undefined {
  if (record.filesDeletedAt === null) return undefined;
  // The expiry is what the caller was promised; the deletion time only bounds it when it is missing.
  const expiredAt = new Date(record.filesExpireAt ?? record.filesDeletedAt).toISOString();
  return {
    detail: `This file expired on ${expiredAt} and was deleted (kept ${record.retentionSeconds} s after completion)`,
  };
}
