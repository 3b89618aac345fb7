import type { Context, Next } from "hono";
import { ANONYMOUS, authenticateHeader, type AuthFailure } from "../jobs/api-keys.ts";
import type { KeyStore } from "../store/port.ts";
import type { AppEnv } from "./app-env.ts";
import { HttpError } from "./http-error.ts";

/**
 * - `required`: every API call needs a key.
 * - `optional`: local mode (a loopback address): no key needed; a key that is sent must be valid,
 *   and then the call is that key's.
 * - `off`: keys are ignored.
 */
export type AuthMode = "required" | "optional" | "off";

const FORMAT = "Authorization: Key <key_id>:<key_secret>";

const FAILURES: Record<AuthFailure, string> = {
  missing: `Missing credentials: send the header ${FORMAT}`,
  malformed: `Malformed Authorization header: expected "Key <key_id>:<key_secret>"`,
  unknown: "No user found for Key ID and Secret",
  revoked: "This API key has been revoked",
};

/** Sets `caller` for the API routes, or answers 401 with fal's bodies. */
export function authenticate(store: KeyStore, mode: AuthMode) {
  return async function authenticateCaller(c: Context<AppEnv>, next: Next) {
    const header = c.req.header("authorization");
    if (mode === "off" || (mode === "optional" && !header)) {
      c.set("caller", ANONYMOUS);
      return next();
    }
    const result = await authenticateHeader(store, header);
    if (!result.ok) throw new HttpError(401, { detail: FAILURES[result.failure] });
    c.set("caller", result.caller);
    return next();
  };
}
