import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { verifyFalWebhook, type JsonWebKeySet } from "../../src/client/webhooks.ts";
import { ENDPOINT, postJson, startServer, waitFor } from "../support/server-process.ts";

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A webhook receiver on 127.0.0.1 that answers `statuses` in turn (then 200) and keeps every delivery. */
async function receiver(statuses: number[] = []) {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      deliveries.push({ headers: req.headers, body, at: Date.now() });
      res.writeHead(statuses[deliveries.length - 1] ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, deliveries, close: () => server.close() };
}

const FAST_RETRIES = { SHOTLINE_WEBHOOK_BACKOFF_SECONDS: "0.2" };

describe("webhooks through a server process", () => {
  it("delivers a signed result that verifies against the server's JWKS", async () => {
    const hook = await receiver();
    const server = await startServer(FAST_RETRIES);
    try {
      const submit = `${server.url}/queue/${ENDPOINT}?fal_webhook=${encodeURIComponent(hook.url)}`;
      const { body: receipt } = await postJson(submit, { prompt: "a red kite over hills", duration: "3" });
      const delivery = await waitFor(async () => hook.deliveries[0], 120_000);
      const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as JsonWebKeySet;
      assert.equal(await verifyFalWebhook({ headers: delivery.headers, body: delivery.body, jwks }), true);
      assert.equal(
        await verifyFalWebhook({ headers: delivery.headers, body: delivery.body.replace("OK", "KO"), jwks }),
        false,
        "a tampered body does not verify",
      );
      const payload = JSON.parse(delivery.body) as Record<string, unknown>;
      assert.equal(payload.request_id, receipt.request_id);
      assert.equal(payload.gateway_request_id, receipt.request_id);
      assert.equal(payload.status, "OK");
      const video = (payload.payload as { video: { url: string; num_frames: number } }).video;
      assert.equal(video.num_frames, 72);
      assert.ok(video.url.startsWith(`${server.url}/files/`), video.url);
      assert.equal((await fetch(video.url)).status, 200);
      assert.equal(delivery.headers["x-fal-webhook-request-id"], receipt.request_id);
    } finally {
      await server.stop();
      await server.cleanup();
      hook.close();
    }
  });

  it("retries a receiver that fails three times, across a restart, without losing or repeating it", async () => {
    const hook = await receiver([500, 503, 502]);
    const server = await startServer(FAST_RETRIES);
    let second;
    try {
      const submit = `${server.url}/queue/${ENDPOINT}?fal_webhook=${encodeURIComponent(hook.url)}`;
      const { body: receipt } = await postJson(submit, { prompt: "never rendered" });
      await fetch(receipt.cancel_url as string, { method: "PUT" }); // ends it: an ERROR webhook
      await waitFor(async () => (hook.deliveries.length >= 1 ? true : undefined), 10_000);
      await server.stop(); // a restart between attempts
      second = await startServer(FAST_RETRIES, server.dataDir);
      await waitFor(async () => (hook.deliveries.length >= 4 ? true : undefined), 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(hook.deliveries.length, 4, "three failures, one success, nothing after it");
      const bodies = hook.deliveries.map((d) => JSON.parse(d.body) as Record<string, unknown>);
      assert.ok(bodies.every((b) => b.request_id === receipt.request_id && b.status === "ERROR"));
      assert.equal((bodies[0]?.payload as { error_type: string }).error_type, "cancelled");
      const gaps = hook.deliveries.slice(1).map((d, i) => d.at - hook.deliveries[i]!.at);
      assert.ok(
        gaps.every((gap) => gap >= 150),
        `backoff between attempts: ${gaps.join(", ")} ms`,
      );
    } finally {
      await second?.stop();
      await server.cleanup();
      hook.close();
    }
  });

  it("refuses link-local webhook destinations at submit, naming the field", async () => {
    const server = await startServer({ SHOTLINE_WORKER: "off" });
    try {
      for (const target of [
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/x",
        "ftp://example.com/x",
      ]) {
        const { response, body } = await postJson(
          `${server.url}/queue/${ENDPOINT}?fal_webhook=${encodeURIComponent(target)}`,
          {},
        );
        assert.equal(response.status, 422, target);
        assert.deepEqual((body.detail as { loc: string[] }[])[0]?.loc, ["query", "fal_webhook"]);
      }
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });
});
