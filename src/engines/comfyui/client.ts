import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

import { ComfyuiUnavailableError, WorkflowRejectedError } from "./errors.ts";
import type { Graph } from "./workflow.ts";

/** One file a node wrote, as history lists it (`/view` takes the same three fields). */
export interface OutputFile {
  filename: string;
  subfolder: string;
  /** `output` for saved files; `temp` for previews. */
  type: string;
  format?: string;
}

/** A finished prompt in `/history/{id}`. */
export interface HistoryEntry {
  /** Per output node: lists of files under `images`, `gifs`, `videos`, `audio`… */
  outputs: Record<string, Record<string, unknown>>;
  status?: {
    status_str?: string;
    completed?: boolean;
    /** `[event, data]` pairs: `execution_start`, `execution_error`, `execution_interrupted`… */
    messages?: Array<[string, Record<string, unknown>]>;
  };
}

/** Where a prompt stands, told from `/queue` first and `/history/{id}` second. */
export type PromptState =
  | { kind: "pending" }
  | { kind: "running" }
  | { kind: "done"; entry: HistoryEntry }
  /** Neither queued nor in history: ComfyUI restarted, the queue was cleared, or history was trimmed. */
  | { kind: "unknown" };

export interface ComfyClientOptions {
  /** Origin of the ComfyUI server, e.g. `http://127.0.0.1:8188`. */
  url: string;
  /** How long one API call may take (a download is not bounded). Default 30 s. */
  requestTimeoutMs?: number;
}

export interface ComfyClient {
  readonly url: string;
  /**
   * `POST /prompt`. A 400 and a 200 carrying `node_errors` both reject with
   * `WorkflowRejectedError`; in the second case ComfyUI queued what it could, so that is withdrawn.
   */
  submit(
    graph: Graph,
    ids: { clientId: string; promptId: string },
  ): Promise<{ promptId: string; number: number }>;
  state(promptId: string): Promise<PromptState>;
  /** Withdraws one prompt: deleted while pending, interrupted while running, left alone otherwise. */
  cancel(promptId: string): Promise<"deleted" | "interrupted" | "not-queued">;
  /** `GET /view` into a local file. */
  download(file: OutputFile, destination: string, signal?: AbortSignal): Promise<void>;
}

interface QueueBody {
  queue_running?: unknown[];
  queue_pending?: unknown[];
}

/**
 * A client of ComfyUI's HTTP API. History answers `{}` both for a prompt that has not finished and
 * for an id it never knew, so `state()` asks `/queue` first: a prompt that is in neither is lost.
 * The order matters: ComfyUI writes history in the same step that takes a prompt off the queue,
 * so "not queued, then not in history" can only mean unknown.
 * @example
 * const client = createComfyClient({ url: "http://127.0.0.1:8188" });
 * const { promptId } = await client.submit(graph, { clientId, promptId: randomUUID() });
 */
export function createComfyClient(options: ComfyClientOptions): ComfyClient {
  const origin = options.url.replace(/\/+$/, "");
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  const call = async (route: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await fetch(`${origin}${route}`, {
        ...init,
        signal: init.signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ComfyuiUnavailableError(`ComfyUI at ${origin} did not answer ${route}: ${describe(error)}`, {
        cause: error,
      });
    }
  };
  const json = async <T>(route: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await call(route, init);
    const text = await response.text();
    try {
      return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as T };
    } catch {
      throw new ComfyuiUnavailableError(
        `ComfyUI at ${origin} answered ${route} with ${response.status} and no JSON: ${text.slice(0, 200)}`,
      );
    }
  };
  const post = (route: string, body: unknown) =>
    json<Record<string, unknown>>(route, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const expectOk = (route: string, status: number, body: unknown) => {
    if (status !== 200) {
      throw new ComfyuiUnavailableError(
        `ComfyUI answered ${route} with ${status}: ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
  };

  const queue = async () => {
    const { status, body } = await json<QueueBody>("/queue");
    expectOk("/queue", status, body);
    // Each item is [number, prompt_id, prompt, extra_data, outputs_to_execute].
    const ids = (items: unknown[] | undefined) =>
      (items ?? []).map((item) => (Array.isArray(item) ? String(item[1]) : ""));
    return { running: ids(body.queue_running), pending: ids(body.queue_pending) };
  };

  const client: ComfyClient = {
    url: origin,

    async submit(graph, ids) {
      // Our own prompt_id (newer builds keep it): a cancel can name the prompt even if the answer is lost.
      const { status, body } = await post("/prompt", {
        prompt: graph,
        client_id: ids.clientId,
        prompt_id: ids.promptId,
      });
      const nodeErrors = body["node_errors"];
      if (status === 400) {
        throw new WorkflowRejectedError(`ComfyUI rejected the workflow: ${describeRejection(body)}`);
      }
      expectOk("/prompt", status, body);
      const promptId = typeof body["prompt_id"] === "string" ? body["prompt_id"] : undefined;
      if (promptId === undefined) {
        throw new ComfyuiUnavailableError(
          `ComfyUI answered /prompt without a prompt_id: ${JSON.stringify(body)}`,
        );
      }
      if (hasEntries(nodeErrors)) {
        // ComfyUI queued the outputs that validated; a partial shot is no use, so withdraw it.
        await client.cancel(promptId).catch(() => undefined);
        throw new WorkflowRejectedError(`ComfyUI reported node errors: ${describeNodeErrors(nodeErrors)}`);
      }
      return { promptId, number: Number(body["number"] ?? 0) };
    },

    async state(promptId) {
      const { running, pending } = await queue();
      if (running.includes(promptId)) return { kind: "running" };
      if (pending.includes(promptId)) return { kind: "pending" };
      const route = `/history/${encodeURIComponent(promptId)}`;
      const { status, body } = await json<Record<string, HistoryEntry>>(route);
      expectOk(route, status, body);
      const entry = body[promptId];
      return entry ? { kind: "done", entry } : { kind: "unknown" };
    },

    async cancel(promptId) {
      let outcome: "deleted" | "not-queued" = "not-queued";
      // Looked at again after a delete: the prompt may have started in between.
      for (let look = 0; look < 3; look++) {
        const { running, pending } = await queue();
        if (pending.includes(promptId)) {
          const { status, body } = await post("/queue", { delete: [promptId] });
          expectOk("/queue", status, body);
          outcome = "deleted";
          continue;
        }
        // Without a prompt_id (older builds) /interrupt stops whatever runs: only send it when it is ours.
        if (running.includes(promptId)) {
          const { status, body } = await post("/interrupt", { prompt_id: promptId });
          expectOk("/interrupt", status, body);
          return "interrupted";
        }
        break;
      }
      return outcome;
    },

    async download(file, destination, signal) {
      const query = new URLSearchParams({
        filename: file.filename,
        subfolder: file.subfolder,
        type: file.type,
      });
      const route = `/view?${query}`;
      // A download is only bounded by the caller's signal: a long video may take a while.
      const response = await call(route, { signal: signal ?? new AbortController().signal });
      if (response.status !== 200 || response.body === null) {
        throw new ComfyuiUnavailableError(`ComfyUI answered ${route} with ${response.status}`);
      }
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      await pipeline(body, createWriteStream(destination), signal ? { signal } : {});
    },
  };
  return client;
}

function hasEntries(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === "object" && value !== null && Object.keys(value).length > 0;
}

/** `{error: {type, message, details}, node_errors}` → one readable line. */
function describeRejection(body: Record<string, unknown>): string {
  const error = body["error"] as { message?: string; details?: string } | string | undefined;
  const head =
    typeof error === "string" ? error : [error?.message, error?.details].filter((part) => part).join(": ");
  const nodes = hasEntries(body["node_errors"]) ? describeNodeErrors(body["node_errors"]) : "";
  return [head || "invalid prompt", nodes].filter((part) => part).join("; ");
}

/** `{<node>: {class_type, errors: [{message, details}]}}` → `node 7 (KSampler): message: details`. */
function describeNodeErrors(nodeErrors: unknown): string {
  if (typeof nodeErrors !== "object" || nodeErrors === null) return String(nodeErrors);
  return Object.entries(nodeErrors as Record<string, unknown>)
    .map(([node, value]) => {
      const entry = value as { class_type?: string; errors?: Array<{ message?: string; details?: string }> };
      const errors = (entry.errors ?? [])
        .map((error) => [error.message, error.details].filter((part) => part).join(": "))
        .join("; ");
      return `node ${node}${entry.class_type ? ` (${entry.class_type})` : ""}: ${errors || "invalid"}`;
    })
    .join("; ");
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
