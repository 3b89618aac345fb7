import type { Context } from "hono";
import type { UrlSpace } from "../jobs/status.ts";
import type { AppEnv } from "./app-env.ts";

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
