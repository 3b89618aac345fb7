import { Hono } from "hono";
import { waitForCompletion } from "../../jobs/watch.ts";
import type { AppEnv } from "../app-env.ts";
import type { AppDeps } from "../deps.ts";
import { authenticate } from "../auth.ts";
import { HttpError } from "../http-error.ts";
import { submitFromRequest } from "../submission.ts";
import { pathAfterMount } from "../paths.ts";
import { resultAnswer } from "../urls.ts";

/**
 * Synchronous run (`fal.run`): the same durable path as the queue — enqueue, wait for the end,
 * answer with the result. The request id is in `x-fal-request-id`, so a caller that drops the
 * connection can still fetch the result from the queue.
 */
export function runRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.post("/*", authenticate(deps.store, deps.auth), deps.limits.submit, async (c) => {
    const endpoint = deps.findEndpoint(pathAfterMount(c));
    const record = await submitFromRequest(c, deps, endpoint);
    const done = await waitForCompletion(deps.store, record.id, { signal: c.req.raw.signal });
    if (!done) throw new HttpError(499, { detail: "Client closed the connection" });
    const answer = await resultAnswer(c, deps, done);
    return c.json(answer.body, answer.httpStatus as 200, answer.headers);
  });
  return app;
}
