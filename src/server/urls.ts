import type { Context } from "hono";
import { resultResponse, withSignedFileUrls, type ResultResponse, type UrlSpace } from "../jobs/status.ts";
import type { RequestRecord } from "../store/port.ts";
import type { AppEnv } from "./app-env.ts";
import type { AppDeps } from "./deps.ts";

/**
 * The origin a caller reached this server at: the configured public URL, else the request's own
 * (honouring `X-Forwarded-Proto` / `X-Forwarded-Host` from a reverse proxy).
 */
export function callerOrigin(c: Context<AppEnv>, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const url = new URL(c.req.url);
  const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim() || c.req.header("host") || url.host;
  return `${proto}://${host}`;
}

/** URL space of this call: set by the proxy route for calls it forwards, else this server's. */
export function urlSpaceOf(c: Context<AppEnv>, publicUrl: string | undefined): UrlSpace {
  const forwarded = c.env?.urlSpace;
  if (forwarded) return forwarded;
  const origin = callerOrigin(c, publicUrl);
  return { queueBase: `${origin}/queue`, filesBase: origin };
}

/**
 * What a result URL answers for `record`, in the caller's URL space. With presigned file URLs the
 * storage signs each file URL now, for `presignSeconds` but never past the file's expiry; a file
 * already deleted (or due) keeps its `/files/…` URL, which answers 410 once it is gone.
 */
export async function resultAnswer(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, "publicUrl" | "storage" | "fileUrls" | "presignSeconds">,
  record: RequestRecord,
): Promise<ResultResponse> {
  const space = urlSpaceOf(c, deps.publicUrl);
  const sign = deps.storage.signedUrl?.bind(deps.storage);
  const seconds = presignSecondsLeft(record, deps.presignSeconds, Date.now());
  if (
    deps.fileUrls !== "presigned" ||
    !sign ||
    record.status !== "COMPLETED" ||
    record.error ||
    seconds < 1
  ) {
    return resultResponse(space, record);
  }
  const result = await withSignedFileUrls(record.result, (key) => sign(key, seconds));
  return resultResponse(space, { ...record, result });
}

function presignSecondsLeft(
  record: Pick<RequestRecord, "filesDeletedAt" | "filesExpireAt">,
  presignSeconds: number,
  now: number,
): number {
  if (record.filesDeletedAt !== null) return 0;
  if (record.filesExpireAt === null) return presignSeconds;
  return Math.min(presignSeconds, Math.floor((record.filesExpireAt - now) / 1000));
}
