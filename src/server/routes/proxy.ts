import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import type { AppDeps } from "../deps.ts";
import { HttpError } from "../http-error.ts";
import { callerOrigin } from "../urls.ts";

export const TARGET_URL_HEADER = "x-fal-target-url";

/** fal hosts a proxied call may name, and where each lives on this server. */
const TARGETS: Record<string, string> = { "fal.run": "/run", "queue.fal.run": "/queue" };

/**
 * `/fal/proxy`, the route fal's clients call when configured with `proxyUrl`: the real target is
 * in `x-fal-target-url`. The call is served by this same app, and answers in the target's URL
 * space (`https://queue.fal.run/…`) as fal itself would, so that clients keep going through
 * their proxy. Only fal's own hosts are accepted: this is not an open proxy.
 */
export function proxyRoutes(
  deps: AppDeps,
  serve: (request: Request, env: AppEnv["Bindings"]) => Promise<Response>,
) {
  const app = new Hono<AppEnv>();
  app.all("/", async (c) => {
    const target = c.req.header(TARGET_URL_HEADER);
    if (!target) throw new HttpError(400, { detail: `Missing the ${TARGET_URL_HEADER} header` });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new HttpError(400, { detail: `${TARGET_URL_HEADER} is not a URL: ${target}` });
    }
    const mount = url.protocol === "https:" ? TARGETS[url.hostname] : undefined;
    if (!mount) {
      throw new HttpError(400, {
        detail: `${TARGET_URL_HEADER} must be an https URL on fal.run or queue.fal.run, not ${url.origin}`,
      });
    }
    const origin = callerOrigin(c, deps.publicUrl);
    const headers = new Headers(c.req.raw.headers);
    headers.delete(TARGET_URL_HEADER);
    const method = c.req.method;
    const inner = new Request(`${origin}${mount}${url.pathname}${url.search}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? null : await c.req.arrayBuffer(),
      signal: c.req.raw.signal,
    });
    return serve(inner, { ...c.env, urlSpace: { queueBase: "https://queue.fal.run", filesBase: origin } });
  });
  return app;
}
