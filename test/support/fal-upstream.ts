import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createApiKey } from "../../src/jobs/api-keys.ts";
import { createSqliteStore } from "../../src/store/sqlite/index.ts";
import { ENDPOINT, startServer, type ServerProcess } from "./server-process.ts";

/**
 * A local stand-in for fal's queue: a second Shotline process serving previz on the Kling
 * endpoint with fal's protocol (keys required, like fal), behind a small HTTP proxy that injects
 * faults. Nothing here reaches the real fal service.
 */

/** What a call to the upstream is, from its method and path. */
export type UpstreamCall = "submit" | "status" | "result" | "cancel" | "file" | "other";

export type Fault =
  /** Answer late (a slow start): the call is forwarded after `delayMs`. */
  | { on: UpstreamCall; times: number; delayMs: number }
  /** Answer in the proxy's place (5xx, 422…): the peer never sees the call. */
  | { on: UpstreamCall; times: number; respond: { status: number; body: unknown } }
  /** Forward the call, then cut the connection in the middle of the peer's answer. */
  | { on: UpstreamCall; times: number; drop: true };

export interface UpstreamCallRecord {
  kind: UpstreamCall;
  method: string;
  path: string;
  /** The status the caller got, or `dropped`. */
  outcome: number | "dropped";
}

export interface FalUpstream {
  /** What `SHOTLINE_FAL_URL` should be to call this upstream. */
  queueUrl: string;
  /** The proxy's origin (the peer builds its answers' URLs on it). */
  origin: string;
  /** The operator's key: a key of the peer, which refuses calls without one. */
  key: string;
  /** The Shotline process behind the proxy. */
  peer: ServerProcess;
  /** Every call the proxy got, in order. */
  calls: UpstreamCallRecord[];
  /** Ids of the requests the peer accepted through the proxy, in order. */
  submitted: string[];
  inject(fault: Fault): void;
  /** Forgets faults, calls and submitted ids. */
  reset(): void;
  /** Straight to the peer (no faults): submit, status, result, cancel. */
  peerSubmit(input: unknown): Promise<string>;
  peerStatus(id: string): Promise<Record<string, unknown>>;
  peerResult(id: string): Promise<{ status: number; body: Record<string, unknown> }>;
  peerCancel(id: string): Promise<void>;
  /** Polls the peer until the request is COMPLETED and returns its status body. */
  peerCompleted(id: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts the peer and the proxy in front of it. */
export async function startFalUpstream(env: Record<string, string> = {}): Promise<FalUpstream> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "shotline-fal-upstream-"));
  const store = createSqliteStore({ path: path.join(dataDir, "shotline.db") });
  const { token: key } = await createApiKey(store, { name: "operator", budgetUsd: null, admin: false });
  await store.close();
  const peer = await startServer(
    {
      SHOTLINE_AUTH: "required",
      SHOTLINE_RATE_LIMIT_SUBMITS: "0",
      SHOTLINE_RATE_LIMIT_READS: "0",
      ...env,
    },
    dataDir,
  );
  const peerUrl = new URL(peer.url);
  const faults: Fault[] = [];
  const calls: UpstreamCallRecord[] = [];
  const submitted: string[] = [];

  const takeFault = (kind: UpstreamCall): Fault | undefined => {
    const index = faults.findIndex((fault) => fault.on === kind && fault.times > 0);
    const fault = faults[index];
    if (fault) fault.times--;
    return fault;
  };

  const proxy = http.createServer((req, res) => {
    const kind = classify(req.method ?? "GET", req.url ?? "/");
    const call: UpstreamCallRecord = { kind, method: req.method ?? "GET", path: req.url ?? "/", outcome: 0 };
    calls.push(call);
    const fault = takeFault(kind);
    void (async () => {
      if (fault && "delayMs" in fault) await sleep(fault.delayMs);
      if (fault && "respond" in fault) {
        req.resume();
        call.outcome = fault.respond.status;
        res.writeHead(fault.respond.status, { "content-type": "application/json" });
        res.end(JSON.stringify(fault.respond.body));
        return;
      }
      // Forwarded with the caller's Host header, so the peer's URLs point back at this proxy.
      const forwarded = http.request({
        host: peerUrl.hostname,
        port: peerUrl.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      });
      forwarded.on("error", () => res.destroy());
      forwarded.on("response", (answer) => {
        call.outcome = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (fault && "drop" in fault) {
          call.outcome = "dropped";
          answer.once("data", (chunk: Buffer) => {
            answer.destroy();
            res.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))), () => res.destroy());
          });
          return;
        }
        if (kind === "submit" && answer.statusCode === 200) {
          let text = "";
          answer.setEncoding("utf8");
          answer.on("data", (chunk: string) => (text += chunk));
          answer.on("end", () => {
            submitted.push((JSON.parse(text) as { request_id: string }).request_id);
            res.end(text);
          });
          return;
        }
        answer.pipe(res);
      });
      req.pipe(forwarded);
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const auth = { authorization: `Key ${key}` };
  const requestsUrl = `${peer.url}/queue/fal-ai/kling-video/requests`;
  const peerStatus = async (id: string) =>
    (await (await fetch(`${requestsUrl}/${id}/status?logs=1`, { headers: auth })).json()) as Record<
      string,
      unknown
    >;

  return {
    queueUrl: `${origin}/queue`,
    origin,
    key,
    peer,
    calls,
    submitted,
    inject: (fault) => void faults.push({ ...fault }),
    reset() {
      faults.length = 0;
      calls.length = 0;
      submitted.length = 0;
    },
    async peerSubmit(input) {
      const response = await fetch(`${peer.url}/queue/${ENDPOINT}`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      return ((await response.json()) as { request_id: string }).request_id;
    },
    peerStatus,
    async peerResult(id) {
      const response = await fetch(`${requestsUrl}/${id}`, { headers: auth });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async peerCancel(id) {
      await (await fetch(`${requestsUrl}/${id}/cancel`, { method: "PUT", headers: auth })).body?.cancel();
    },
    async peerCompleted(id, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await peerStatus(id);
        if (status.status === "COMPLETED") return status;
        if (Date.now() > deadline)
          throw new Error(`peer request ${id} not completed: ${JSON.stringify(status)}`);
        await sleep(100);
      }
    },
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await peer.stop();
      await peer.cleanup();
    },
  };
}

function classify(method: string, url: string): UpstreamCall {
  const { pathname } = new URL(url, "http://upstream");
  if (pathname.startsWith("/files/")) return "file";
  if (!pathname.startsWith("/queue/")) return "other";
  if (method === "POST") return "submit";
  if (method === "PUT" && pathname.endsWith("/cancel")) return "cancel";
  if (/\/requests\/[^/]+\/status(\/stream)?$/.test(pathname)) return "status";
  if (/\/requests\/[^/]+(\/response)?$/.test(pathname)) return "result";
  return "other";
}
