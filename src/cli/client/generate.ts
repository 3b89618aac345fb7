import path from "node:path";
import { parseArgs } from "node:util";
import { ApiError, type FalClient } from "@fal-ai/client";
import type { VideoOutput } from "../../contract/output.ts";
import type { StatusBody } from "../../contract/queue.ts";
import { UsageError } from "../usage-error.ts";
import { connect } from "./connect.ts";
import { describeVideo, saveVideo } from "./download.ts";
import { describeError, EXIT, RequestFailedError } from "./exit-codes.ts";
import { INPUT_FLAGS, INPUT_USAGE, inputFromFlags } from "./input-flags.ts";
import { CLIENT_FLAGS, loadClientOptions } from "./options.ts";
import { createProgressView } from "./progress.ts";

export const GENERATE_USAGE = `${INPUT_USAGE}
    generate also takes --out FILE (default ./REQUEST_ID.mp4) or --no-download, and --json`;

const POLL_INTERVAL_MS = 500;
/** How long Ctrl-C waits for the server to confirm the cancel before giving up on it. */
const CANCEL_WAIT_MS = 5_000;

/**
 * `shotline generate`: submits a request, follows it to the end, saves the video. Ctrl-C cancels
 * the request on the server (a second one quits at once).
 */
export async function generateCommand(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args,
    allowPositionals: true,
    tokens: true,
    strict: true,
    options: {
      ...CLIENT_FLAGS,
      ...INPUT_FLAGS,
      out: { type: "string" },
      "no-download": { type: "boolean" },
      json: { type: "boolean" },
    },
  });
  if (positionals.length > 1) throw new UsageError("give the prompt as one argument (quote it)");
  if (values.out !== undefined && values["no-download"])
    throw new UsageError("--out and --no-download: pick one");
  const options = await loadClientOptions(values, env);
  const input = await inputFromFlags({ ...values, prompt: positionals[0] }, tokens);
  const client = connect(options);
  const { endpoint } = options;
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

  const view = createProgressView({ stream: process.stderr, tty: process.stderr.isTTY === true });
  const interrupted = new AbortController();
  const onSigint = () => (interrupted.signal.aborted ? process.exit(EXIT.interrupted) : interrupted.abort());
  process.on("SIGINT", onSigint);
  try {
    // Not abortable: a cancel needs the id that this answer carries.
    const { request_id: requestId } = await client.queue.submit(endpoint, { input });
    view.note(`request ${requestId} (${endpoint})`);
    let done: StatusBody | undefined;
    if (!interrupted.signal.aborted) {
      try {
        done = (await client.queue.subscribeToStatus(endpoint, {
          requestId,
          logs: true,
          pollInterval: POLL_INTERVAL_MS,
          abortSignal: interrupted.signal,
          onQueueUpdate: (status) => view.update(status as unknown as StatusBody),
        })) as unknown as StatusBody;
      } catch (error) {
        if (!interrupted.signal.aborted) throw error;
      }
    }
    view.stop();
    if (!done) return await cancelOnServer(client, endpoint, requestId);
    if (done.error !== undefined) {
      if (values.json) print({ request_id: requestId, error: done.error, error_type: done.error_type });
      throw new RequestFailedError(requestId, done.error_type ?? "error", done.error);
    }

    const { video } = (await client.queue.result(endpoint, { requestId })).data as VideoOutput;
    const file = values["no-download"] ? undefined : path.resolve(values.out ?? `${requestId}.mp4`);
    if (file !== undefined) {
      try {
        await saveVideo(video.url, file, interrupted.signal);
      } catch (error) {
        if (!interrupted.signal.aborted) throw error;
        process.stderr.write(
          `Interrupted: request ${requestId} had completed; its video is at ${video.url}\n`,
        );
        return EXIT.interrupted;
      }
    }
    if (values.json) print({ request_id: requestId, video, ...(file !== undefined && { file }) });
    else process.stdout.write(`${file ?? video.url}: ${describeVideo(video)} (request ${requestId})\n`);
    return EXIT.ok;
  } finally {
    view.stop();
    process.off("SIGINT", onSigint);
  }
}

async function cancelOnServer(client: FalClient, endpoint: string, requestId: string): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  say(`Interrupted: cancelling request ${requestId}…`);
  try {
    await client.queue.cancel(endpoint, { requestId, abortSignal: AbortSignal.timeout(CANCEL_WAIT_MS) });
    say(`Cancelled request ${requestId} on the server.`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      say(`Request ${requestId} had already completed: shotline result ${requestId}`);
    } else {
      say(`Could not cancel request ${requestId} (${describeError(error)}): shotline cancel ${requestId}`);
    }
  }
  return EXIT.interrupted;
}
