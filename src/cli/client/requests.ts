import path from "node:path";
import { parseArgs } from "node:util";
import { ApiError, type FalClient } from "@fal-ai/client";
import type { VideoOutput } from "../../contract/output.ts";
import type { StatusBody } from "../../contract/queue.ts";
import { UsageError } from "../usage-error.ts";
import { connect } from "./connect.ts";
import { describeVideo, saveVideo } from "./download.ts";
import { EXIT, RequestFailedError } from "./exit-codes.ts";
import { CLIENT_FLAGS, loadClientOptions, type ClientFlagValues } from "./options.ts";
import { clock } from "./progress.ts";

export const REQUESTS_USAGE = `  status REQUEST_ID [--logs] [--json]                  Where a request stands
  result REQUEST_ID [--out FILE] [--json]              Its result (and the video, with --out)
  cancel REQUEST_ID                                    Cancel a queued or running request`;

type Env = Record<string, string | undefined>;

/** The verb's one REQUEST_ID, and a client for the server the options name. */
async function forRequest(verb: string, positionals: string[], flags: ClientFlagValues, env: Env) {
  const [requestId, ...extra] = positionals;
  if (requestId === undefined || extra.length > 0) throw new UsageError(`${verb} needs one REQUEST_ID`);
  const options = await loadClientOptions(flags, env);
  return { requestId, endpoint: options.endpoint, client: connect(options) };
}

const status = (client: FalClient, endpoint: string, requestId: string, logs: boolean) =>
  client.queue.status(endpoint, { requestId, logs }) as unknown as Promise<StatusBody>;

/** `shotline status ID`: the status body, in one line (or as JSON), with the logs if asked. */
export async function statusCommand(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CLIENT_FLAGS, logs: { type: "boolean" }, json: { type: "boolean" } },
  });
  const { requestId, endpoint, client } = await forRequest("status", positionals, values, env);
  const body = await status(client, endpoint, requestId, values.logs === true);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(body)}\n`);
    return EXIT.ok;
  }
  for (const entry of body.logs ?? []) process.stdout.write(`  ${entry.timestamp} ${entry.message}\n`);
  process.stdout.write(`${describeStatus(body)}\n`);
  return EXIT.ok;
}

export function describeStatus(body: StatusBody): string {
  if (body.status === "IN_QUEUE") return `IN_QUEUE (${body.queue_position ?? "?"} ahead)`;
  if (body.status === "IN_PROGRESS") return `IN_PROGRESS ${Math.floor((body.progress ?? 0) * 100)}%`;
  if (body.error !== undefined)
    return `COMPLETED with an error (${body.error_type ?? "error"}): ${body.error}`;
  const took = body.metrics ? ` in ${clock(body.metrics.inference_time * 1000)}` : "";
  return `COMPLETED${took}`;
}

/**
 * `shotline result ID`: asks the status first, so that a request still running or one that
 * ended with an error each get their own answer (and exit code) instead of an HTTP error.
 */
export async function resultCommand(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CLIENT_FLAGS, out: { type: "string" }, json: { type: "boolean" } },
  });
  const { requestId, endpoint, client } = await forRequest("result", positionals, values, env);
  const body = await status(client, endpoint, requestId, false);
  if (body.status !== "COMPLETED") {
    process.stderr.write(`shotline: request ${requestId} has no result yet: ${describeStatus(body)}\n`);
    return EXIT.failure;
  }
  if (body.error !== undefined)
    throw new RequestFailedError(requestId, body.error_type ?? "error", body.error);
  const { video } = (await client.queue.result(endpoint, { requestId })).data as VideoOutput;
  const file = values.out === undefined ? undefined : path.resolve(values.out);
  if (file !== undefined) await saveVideo(video.url, file);
  if (values.json) process.stdout.write(`${JSON.stringify({ request_id: requestId, video })}\n`);
  else process.stdout.write(`${file ?? video.url}: ${describeVideo(video)}\n`);
  return EXIT.ok;
}

/** `shotline cancel ID`: a request that has already ended cannot be cancelled (exit 1). */
export async function cancelCommand(args: string[], env: Env): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CLIENT_FLAGS });
  const { requestId, endpoint, client } = await forRequest("cancel", positionals, values, env);
  try {
    await client.queue.cancel(endpoint, { requestId });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    process.stderr.write(`shotline: request ${requestId} has already completed\n`);
    return EXIT.failure;
  }
  process.stdout.write(`Cancellation requested for ${requestId}\n`);
  return EXIT.ok;
}
