import type { Caller } from "../jobs/api-keys.ts";
import type { UrlSpace } from "../jobs/status.ts";

/** Hono environment of the app: what a caller of `app.fetch` may pass in `env`. */
export interface AppEnv {
  Bindings: {
    /** Set when the proxy route forwards a call: answers use fal's URL space. */
    urlSpace?: UrlSpace;
  };
  Variables: {
    requestId: string | undefined;
    /** Set by the auth middleware on API routes. */
    caller: Caller;
  };
}
