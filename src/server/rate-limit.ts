import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { HttpError } from "./http-error.ts";

export interface RateLimitOptions {
  /** Calls allowed per window for one key; `0` or less turns the limit off. */
  points: number;
  durationSeconds: number;
  /** Who a call counts against, e.g. `clientKey`. */
  keyOf: (c: Context) => string;
}

/**
 * A fixed-window limit per key, counted in this process's memory. Every limited response carries
 * `x-ratelimit-limit` and `x-ratelimit-remaining`; a call over the limit is refused with a 429,
 * fal's `detail` body and `retry-after` (whole seconds, at least 1).
 *
 * Mount it after authentication, so that `keyOf` can see the caller.
 *
 * @example
 * app.post("/*", auth, rateLimit({ points: 120, durationSeconds: 60, keyOf: clientKey }), submit);
 */
export function rateLimit({ points, durationSeconds, keyOf }: RateLimitOptions): MiddlewareHandler {
  if (points <= 0) {
    return async function unlimited(_c, next) {
      await next();
    };
  }
  const limiter = new RateLimiterMemory({ points, duration: durationSeconds });
  const limit = String(points);

  return async function limitRate(c, next) {
    let granted: RateLimiterRes;
    try {
      granted = await limiter.consume(keyOf(c));
    } catch (refusal) {
      // The memory limiter rejects with its verdict; anything else is a bug and goes to onError.
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new HttpError(
        429,
        {
          detail: `Rate limit exceeded: ${points} requests per ${durationSeconds} s for this key; retry in ${retryAfter} s`,
        },
        { "retry-after": String(retryAfter), "x-ratelimit-limit": limit, "x-ratelimit-remaining": "0" },
      );
    }
    await next();
    c.res.headers.set("x-ratelimit-limit", limit);
    c.res.headers.set("x-ratelimit-remaining", String(granted.remainingPoints));
  };
}

/**
 * The key a call counts against: its API key (`key:<id>`) when the auth middleware set a caller
 * with one, else the peer's address (`ip:<address>`), else `anonymous`. The address is the TCP
 * peer, not `X-Forwarded-For`, which any client could forge to get a fresh allowance.
 */
export function clientKey(c: Context): string {
  const caller: unknown = c.get("caller");
  if (
    typeof caller === "object" &&
    caller !== null &&
    "keyId" in caller &&
    typeof caller.keyId === "string"
  ) {
    return `key:${caller.keyId}`;
  }
  const address = remoteAddress(c);
  return address === undefined ? "anonymous" : `ip:${address}`;
}

function remoteAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address || undefined;
  } catch {
    // Not served by @hono/node-server (`app.request` in tests, another runtime): no socket to ask.
    return undefined;
  }
}
