import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";

export interface AccessLogOptions {
  /** Paths polled by machines (probes, scrapers): logged at debug so they do not drown the API calls. */
  quietPaths?: readonly string[];
}

/**
 * One JSON line per HTTP request: method, path, status, duration_ms and the `x-fal-request-id`
 * the client received, so a user's report can be matched with the server's lines. For a streamed
 * body (status/stream) duration_ms runs until the headers, not until the stream ends.
 *
 * Mount it outside (before) the middleware that sets `x-fal-request-id`: the header is read from
 * the finished response. The path is logged without its query string, which may carry a webhook URL.
 *
 * @example
 * app.use(accessLog(logger));
 * // {"level":30,"method":"POST","path":"/queue/fal-ai/…","status":200,"duration_ms":4.2,"request_id":"…","msg":"request"}
 */
export function accessLog(
  logger: Logger,
  { quietPaths = ["/healthz", "/metrics"] }: AccessLogOptions = {},
): MiddlewareHandler {
  const quiet = new Set(quietPaths);
  return async function logAccess(c, next) {
    const started = performance.now();
    // Hono's compose hands any exception to the app's error handler before `next` returns, so
    // `c.res` is always the response the client gets, error or not.
    await next();
    const line = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      request_id: c.res.headers.get("x-fal-request-id"),
    };
    if (quiet.has(c.req.path)) logger.debug(line, "request");
    else logger.info(line, "request");
  };
}
