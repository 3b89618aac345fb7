import { ApiError } from "./api-error.ts";
import {
  limitsFromOpenApi,
  type EndpointInfo,
  type FormLimits,
  type OpenApiDocument,
  type QueueReceipt,
  type StatusBody,
  type VideoFile,
  type VideoRequestInput,
} from "./contract.ts";
import { serverSentEvents } from "./sse.ts";

export interface ShotlineClient {
  endpoints(): Promise<EndpointInfo[]>;
  limits(endpointId: string): Promise<FormLimits>;
  /** Resolves when the current key (or no key) may call the API; an ApiError (401) otherwise. */
  checkAccess(): Promise<void>;
  submit(endpointId: string, input: VideoRequestInput): Promise<QueueReceipt>;
  /**
   * Follows the status stream until COMPLETED, reconnecting if the connection drops. Each event
   * carries the log lines that are new since the previous one, except the first event of a
   * connection, which carries every line so far (`firstOfConnection`).
   */
  watch(
    statusUrl: string,
    onStatus: (status: StatusBody, firstOfConnection: boolean) => void,
    signal: AbortSignal,
  ): Promise<StatusBody>;
  result(responseUrl: string): Promise<{ video: VideoFile }>;
  cancel(cancelUrl: string): Promise<void>;
}

const RECONNECT_DELAY_MS = 1000;

/**
 * fal's queue protocol spoken with fetch, against the origin that served the page. `getKey`
 * is read on every call, so a key entered after a 401 applies to the next one.
 */
export function createShotlineClient(getKey: () => string | null, origin = ""): ShotlineClient {
  const call = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const key = getKey();
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    if (key) headers.set("authorization", `Key ${key}`);
    const response = await fetch(url, { ...init, headers });
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    return response;
  };
  const json = async <T>(url: string, init?: RequestInit) => (await (await call(url, init)).json()) as T;

  return {
    async endpoints() {
      return (await json<{ endpoints: EndpointInfo[] }>(`${origin}/healthz`)).endpoints;
    },
    async limits(endpointId) {
      const doc = await json<OpenApiDocument>(
        `${origin}/openapi.json?endpoint_id=${encodeURIComponent(endpointId)}`,
      );
      return limitsFromOpenApi(doc, endpointId);
    },
    async checkAccess() {
      await call(`${origin}/v1/usage`);
    },
    submit(endpointId, input) {
      return json<QueueReceipt>(`${origin}/queue/${endpointId}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
    },
    async watch(statusUrl, onStatus, signal) {
      for (;;) {
        const response = await call(`${statusUrl}/stream?logs=1`, { signal });
        if (!response.body) throw new Error("The status stream has no body");
        let first = true;
        for await (const data of serverSentEvents(response.body)) {
          const status = JSON.parse(data) as StatusBody;
          onStatus(status, first);
          first = false;
          if (status.status === "COMPLETED") return status;
        }
        // The stream ended early (a proxy timeout, a server restart): a new one starts with
        // the current status.
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
        signal.throwIfAborted();
      }
    },
    result(responseUrl) {
      return json<{ video: VideoFile }>(responseUrl);
    },
    async cancel(cancelUrl) {
      await call(cancelUrl, { method: "PUT" });
    },
  };
}
