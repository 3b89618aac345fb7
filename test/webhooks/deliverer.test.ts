import assert from "node:assert/strict";
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { checkFalWebhook } from "../../src/client/webhooks.ts";
import { jwksRoutes } from "../../src/server/routes/jwks.ts";
import { storeJwks } from "../../src/webhooks/index.ts";
import {
  cancelRequest,
  completeRequest,
  ORIGIN,
  startReceiver,
  tempStore,
  testDeliverer,
  type Receiver,
} from "./support.ts";

describe("webhook deliverer: signed deliveries to a verifying receiver", () => {
  let fixture: Awaited<ReturnType<typeof tempStore>>;
  let jwksServer: Server;
  let jwksUrl = "";
  let receiver: Receiver;
  const verdicts: string[] = [];

  before(async () => {
    fixture = await tempStore();
    // The JWKS as a receiver would fetch it: jwksRoutes, mounted as the lead mounts it, on a real port.
    const app = new Hono().route(
      "/.well-known",
      jwksRoutes(() => storeJwks(fixture.store)),
    );
    jwksServer = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
    await once(jwksServer, "listening");
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    // The receiver verifies each delivery with the helper and answers 401 to a bad signature.
    receiver = await startReceiver(async ({ headers, body }) => {
      const check = await checkFalWebhook({ headers, body, jwks: jwksUrl });
      verdicts.push(check.ok ? "ok" : check.reason);
      return check.ok ? 200 : 401;
    });
  });
  after(async () => {
    await receiver.close();
    jwksServer.close();
    await fixture.cleanup();
  });

  it("delivers a result, signed, with fal's payload and absolute file URLs", async () => {
    const id = await completeRequest(fixture.store, { webhookUrl: receiver.url, keyId: "key_abc" });
    const { deliverer, waitForOutcomes } = testDeliverer({ store: fixture.store });
    deliverer.start();
    try {
      assert.deepEqual(
        (await waitForOutcomes(1)).map((o) => o.outcome),
        ["delivered"],
      );
    } finally {
      await deliverer.stop();
    }
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(verdicts, ["ok"]);
    const delivery = receiver.received[0];
    assert.ok(delivery);
    assert.equal(delivery.headers["content-type"], "application/json");
    assert.equal(delivery.headers["x-fal-webhook-request-id"], id);
    assert.equal(delivery.headers["x-fal-webhook-user-id"], "key_abc");
    assert.deepEqual(JSON.parse(delivery.body), {
      request_id: id,
      gateway_request_id: id,
      status: "OK",
      payload: { video: { url: `${ORIGIN}/files/${id}/output.mp4`, content_type: "video/mp4" }, seed: 7 },
      error: null,
    });
    const state = await fixture.store.webhookState(id);
    assert.equal(state?.attempts, 1);
    assert.ok(state?.deliveredAt);
  });

  it("delivers a cancelled request as ERROR, with the error body; no key means user id `local`", async () => {
    const id = await cancelRequest(fixture.store, { webhookUrl: receiver.url });
    const { deliverer, waitForOutcomes } = testDeliverer({ store: fixture.store });
    deliverer.start();
    try {
      assert.deepEqual(
        (await waitForOutcomes(1)).map((o) => o.outcome),
        ["delivered"],
      );
    } finally {
      await deliverer.stop();
    }
    const delivery = receiver.received.at(-1);
    assert.equal(delivery?.headers["x-fal-webhook-user-id"], "local");
    assert.equal(verdicts.at(-1), "ok");
    assert.deepEqual(JSON.parse(delivery?.body ?? "null"), {
      request_id: id,
      gateway_request_id: id,
      status: "ERROR",
      payload: { detail: "Request was cancelled", error_type: "cancelled" },
      error: "Invalid status code: 400",
    });
  });

  it("wakes on a request ending in this process, without waiting for its poll", async () => {
    const { deliverer, waitForOutcomes } = testDeliverer({ store: fixture.store, pollMs: 60_000 });
    deliverer.start();
    try {
      // Let the first claim find nothing, so that the deliverer is idle for a minute.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const before = receiver.received.length;
      const startedAt = Date.now();
      await completeRequest(fixture.store, { webhookUrl: receiver.url });
      await waitForOutcomes(1, 3000);
      assert.ok(Date.now() - startedAt < 3000);
      assert.equal(receiver.received.length, before + 1);
    } finally {
      await deliverer.stop();
    }
  });

  it("checks the policy again at delivery: a link-local URL already in the outbox is given up unsent", async () => {
    const id = await completeRequest(fixture.store, {
      webhookUrl: "http://169.254.169.254/latest/meta-data/",
    });
    const { deliverer, waitForOutcomes } = testDeliverer({ store: fixture.store });
    deliverer.start();
    try {
      const [outcome] = await waitForOutcomes(1);
      assert.equal(outcome?.outcome, "failed");
      assert.match(outcome?.error ?? "", /link-local/);
    } finally {
      await deliverer.stop();
    }
    const state = await fixture.store.webhookState(id);
    assert.equal(state?.attempts, 1);
    assert.ok(state?.failedAt);
    assert.equal(state?.deliveredAt, null);
  });

  it("does nothing for requests without a webhook", async () => {
    const id = await completeRequest(fixture.store, { webhookUrl: null });
    assert.equal(await fixture.store.webhookState(id), undefined);
  });
});
