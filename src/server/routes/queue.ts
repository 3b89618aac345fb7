import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { StatusBody } from "../../contract/queue.ts";
import { endpointIdentity } from "../../jobs/endpoints.ts";
import { queueReceipt, statusBody } from "../../jobs/status.ts";
import { watchRequest } from "../../jobs/watch.ts";
import type { RequestRecord } from "../../store/port.ts";
import type { AppEnv } from "../app-env.ts";
import type { AppDeps } from "../deps.ts";
import { HttpError, requestNotFound } from "../http-error.ts";
import { authenticate } from "../auth.ts";
import { pathAfterMount } from "../paths.ts";
import { submitFromRequest } from "../submission.ts";
import { resultAnswer, urlSpaceOf } from "../urls.ts";

/** Progress-only changes are streamed at most this often; status, position and logs at once. */
const PROGRESS_EVENT_INTERVAL_MS = 250;

/**
 * fal's queue: submit on the endpoint's full id; status, stream, result and cancel on
 * `{owner}/{app}/requests/{id}` (the full id is accepted there too).
 */
export function queueRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const auth = authenticate(deps.store, deps.auth);

  app.post("/*", auth, deps.limits.submit, async (c) => {
    const endpoint = deps.findEndpoint(pathAfterMount(c));
    const record = await submitFromRequest(c, deps, endpoint);
    const position = await deps.store.queuePosition(record.id);
    return c.json(queueReceipt(urlSpaceOf(c, deps.publicUrl), record, position));
  });

  app.get("/*", auth, deps.limits.read, async (c) => {
    const { id, action } = parseRequestPath(pathAfterMount(c));
    const record = await findRecord(deps, c, id);
    const space = urlSpaceOf(c, deps.publicUrl);
    if (action === "status") {
      const withLogs = wantsLogs(c.req.query("logs"));
      const logs = withLogs ? (await deps.store.logs(id)).map((l) => l.entry) : null;
      const position = record.status === "IN_QUEUE" ? await deps.store.queuePosition(id) : null;
      return c.json(statusBody(space, record, position, logs), record.status === "COMPLETED" ? 200 : 202);
    }
    if (action === "status/stream") return streamStatus(deps, c, record);
    if (action === "" || action === "response") {
      const answer = await resultAnswer(c, deps, record);
      return c.json(answer.body, answer.httpStatus as 200, answer.headers);
    }
    throw new HttpError(404, { detail: "Not found" });
  });

  app.put("/*", auth, deps.limits.read, async (c) => {
    const { id, action } = parseRequestPath(pathAfterMount(c));
    if (action !== "cancel") throw new HttpError(405, { detail: "Method not allowed" });
    await findRecord(deps, c, id);
    const outcome = await deps.store.cancel(id, Date.now());
    if (outcome === "not_found") return c.json({ status: "NOT_FOUND" }, 404);
    if (outcome === "already_completed") return c.json({ status: "ALREADY_COMPLETED" }, 400);
    return c.json({ status: "CANCELLATION_REQUESTED" }, 202);
  });

  return app;
}

const REQUEST_PATH = /^(.+?)\/requests\/([^/]+)(?:\/(status\/stream|status|response|cancel))?$/;

function parseRequestPath(path: string): { app: string; id: string; action: string } {
  const match = REQUEST_PATH.exec(path);
  if (!match) throw new HttpError(404, { detail: "Not found" });
  return { app: match[1] ?? "", id: match[2] ?? "", action: match[3] ?? "" };
}

async function findRecord(deps: AppDeps, c: Context<AppEnv>, id: string): Promise<RequestRecord> {
  const { app } = parseRequestPath(pathAfterMount(c));
  const record = await deps.store.get(id);
  // A request is addressed under its own endpoint only (`{owner}/{app}` or the full id), and
  // is visible to the key that submitted it only: to anyone else it does not exist.
  if (
    !record ||
    record.keyId !== c.get("caller").keyId ||
    (app !== record.endpointId && app !== endpointIdentity(record.endpointId).app)
  ) {
    throw requestNotFound();
  }
  c.set("requestId", id);
  return record;
}

/** `?logs=` arrives as `1|0` from the JS client and `true|false` from the Python one. */
const wantsLogs = (value: string | undefined) => value === "1" || value === "true";

/**
 * One `data:` event per change, each carrying only the log lines that are new since the last
 * event (the JS client concatenates them); `:` comments keep idle connections open; the stream
 * ends after the COMPLETED event.
 */
function streamStatus(deps: AppDeps, c: Context<AppEnv>, initial: RequestRecord) {
  const withLogs = wantsLogs(c.req.query("logs"));
  const space = urlSpaceOf(c, deps.publicUrl);
  return streamSSE(c, async (stream) => {
    const aborted = new AbortController();
    stream.onAbort(() => aborted.abort());
    const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n"), deps.keepAliveMs);
    let logSeq = 0;
    let last: StatusBody | undefined;
    let lastSentAt = 0;
    try {
      for await (const record of watchRequest(deps.store, initial.id, { signal: aborted.signal })) {
        const newLogs = withLogs ? await deps.store.logs(record.id, logSeq) : [];
        logSeq = newLogs.at(-1)?.seq ?? logSeq;
        const position = record.status === "IN_QUEUE" ? await deps.store.queuePosition(record.id) : null;
        const body = statusBody(space, record, position, withLogs ? newLogs.map((l) => l.entry) : null);
        const now = Date.now();
        const changed =
          !last ||
          newLogs.length > 0 ||
          body.status !== last.status ||
          body.queue_position !== last.queue_position ||
          (body.progress !== last.progress && now - lastSentAt >= PROGRESS_EVENT_INTERVAL_MS);
        if (!changed) continue;
        await stream.writeSSE({ data: JSON.stringify(body) });
        last = body;
        lastSentAt = now;
      }
    } finally {
      clearInterval(keepAlive);
    }
  });
}
