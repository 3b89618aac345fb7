import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { NewRequest, RequestStore } from "../../src/store/port.ts";
import { createSqliteStore } from "../../src/store/sqlite/index.ts";
import { createWebhookDeliverer, type WebhookDelivererOptions } from "../../src/webhooks/index.ts";
import { claimOptions, METRICS, newRequest } from "../store/conformance/fixture.ts";

export const silentLogger = pino({ level: "silent" });

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  /** Epoch ms of arrival. */
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedDelivery[];
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1. `answer` decides each response from the delivery and its
 * 0-based index; returning undefined leaves the request unanswered (a receiver that hangs).
 */
export async function startReceiver(
  answer: (delivery: ReceivedDelivery, index: number) => Promise<number | undefined> | number | undefined,
): Promise<Receiver> {
  const received: ReceivedDelivery[] = [];
  const server = createServer(async (req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const delivery = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
    const index = received.push(delivery) - 1;
    const status = await answer(delivery, index);
    if (status !== undefined) res.writeHead(status, { "content-type": "text/plain" }).end(`answer ${status}`);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** A SQLite store on a temp file, reopenable as another process would. */
export async function tempStore() {
  const dir = await mkdtemp(join(tmpdir(), "shotline-webhooks-"));
  const path = join(dir, "shotline.db");
  const open: RequestStore[] = [];
  const openStore = () => {
    const store = createSqliteStore({ path });
    open.push(store);
    return store;
  };
  return {
    store: openStore(),
    reopen: openStore,
    async cleanup() {
      for (const store of open) await store.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const ORIGIN = "http://shotline.test:8000";

/** Enqueues, claims and completes a request with a result whose file URL is relative. */
export async function completeRequest(store: RequestStore, overrides: Partial<NewRequest>) {
  const record = await store.enqueue(newRequest({ origin: ORIGIN, ...overrides }));
  const claimed = await store.claim(claimOptions("test-worker", Date.now()));
  if (claimed?.id !== record.id) throw new Error("the test request was not the one claimed");
  const result = { video: { url: `/files/${record.id}/output.mp4`, content_type: "video/mp4" }, seed: 7 };
  const done = await store.complete(record.id, "test-worker", { result, metrics: METRICS }, Date.now());
  if (!done) throw new Error("could not complete the test request");
  return record.id;
}

/** Enqueues a request and cancels it while it is queued: it ends with an error. */
export async function cancelRequest(store: RequestStore, overrides: Partial<NewRequest>) {
  const record = await store.enqueue(newRequest({ origin: ORIGIN, ...overrides }));
  if ((await store.cancel(record.id, Date.now())) !== "cancelled") throw new Error("could not cancel");
  return record.id;
}

export type Outcome = { outcome: string; requestId: string; attempt: number; error?: string };

/** A deliverer with fast test settings whose outcomes are recorded, and a way to await them. */
export function testDeliverer(
  options: Partial<WebhookDelivererOptions> & Pick<WebhookDelivererOptions, "store">,
) {
  const outcomes: Outcome[] = [];
  const waiters: Array<() => void> = [];
  const deliverer = createWebhookDeliverer({
    logger: silentLogger,
    policy: { allowLinkLocal: false, allow: [], deny: [] },
    pollMs: 10,
    backoffBaseMs: 50,
    timeoutMs: 2000,
    ...options,
    onDelivery(outcome, delivery) {
      outcomes.push({ outcome, ...delivery });
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  /** Resolves once `count` outcomes were recorded; rejects after `timeoutMs`. */
  const waitForOutcomes = async (count: number, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (outcomes.length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} outcomes, got ${JSON.stringify(outcomes)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return outcomes;
  };
  return { deliverer, outcomes, waitForOutcomes };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
