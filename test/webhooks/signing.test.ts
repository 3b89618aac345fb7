import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { checkFalWebhook, JwksFetchError, verifyFalWebhook } from "../../src/client/webhooks.ts";
import type { RequestStore } from "../../src/store/port.ts";
import { jwksRoutes } from "../../src/server/routes/jwks.ts";
import { jwksDocument, loadSigningKey, signWebhook, storeJwks } from "../../src/webhooks/index.ts";
import { createSigningKey } from "../../src/webhooks/signing.ts";
import { tempStore } from "./support.ts";

const BODY = JSON.stringify({
  request_id: "r-1",
  gateway_request_id: "r-1",
  status: "OK",
  payload: { a: 1 },
  error: null,
});
const NOW = 1_800_000_000_000;

describe("webhook signing with the store's key", () => {
  let fixture: Awaited<ReturnType<typeof tempStore>>;
  let store: RequestStore;
  before(async () => {
    fixture = await tempStore();
    store = fixture.store;
  });
  after(() => fixture.cleanup());

  const signed = async (timestampMs = NOW, body = BODY) => ({
    headers: signWebhook(await loadSigningKey(store), {
      requestId: "r-1",
      userId: "key_1",
      body,
      timestamp: timestampMs / 1000,
    }),
    jwks: await storeJwks(store),
  });

  it("keeps one key per deployment: every store instance on the file signs with the same key", async () => {
    const first = await loadSigningKey(store);
    const again = await loadSigningKey(fixture.reopen());
    assert.equal(again.kid, first.kid);
    assert.equal(again.privateKeyPem, first.privateKeyPem);
    // The kid is the RFC 7638 thumbprint of the public key.
    const { x } = first.publicJwk;
    const thumbprint = createHash("sha256")
      .update(JSON.stringify({ crv: "Ed25519", kty: "OKP", x }))
      .digest("base64url");
    assert.equal(first.kid, thumbprint);
    assert.deepEqual(await storeJwks(store), { keys: [first.publicJwk] });
    assert.equal(first.publicJwk.kty, "OKP");
    assert.equal(first.publicJwk.crv, "Ed25519");
    assert.equal(Buffer.from(x ?? "", "base64url").length, 32);
  });

  it("signs a delivery that the receivers' helper verifies through the JWKS", async () => {
    const { headers, jwks } = await signed();
    assert.deepEqual(Object.keys(headers).sort(), [
      "x-fal-webhook-request-id",
      "x-fal-webhook-signature",
      "x-fal-webhook-timestamp",
      "x-fal-webhook-user-id",
    ]);
    assert.equal(headers["x-fal-webhook-timestamp"], String(NOW / 1000));
    assert.equal(await verifyFalWebhook({ headers, body: BODY, jwks, now: NOW }), true);
    // Header names in any case, and a Buffer body, as a Node receiver has them.
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    assert.equal(await verifyFalWebhook({ headers: upper, body: Buffer.from(BODY), jwks, now: NOW }), true);
    assert.equal(await verifyFalWebhook({ headers: new Headers(headers), body: BODY, jwks, now: NOW }), true);
  });

  it("refuses a tampered body, another request id, a foreign key and a missing header", async () => {
    const { headers, jwks } = await signed();
    const tampered = BODY.replace('"a":1', '"a":2');
    assert.deepEqual(await checkFalWebhook({ headers, body: tampered, jwks, now: NOW }), {
      ok: false,
      reason: "bad_signature",
    });
    const otherId = { ...headers, "x-fal-webhook-request-id": "r-2" };
    assert.equal(await verifyFalWebhook({ headers: otherId, body: BODY, jwks, now: NOW }), false);
    const foreign = jwksDocument([createSigningKey()]);
    assert.equal(await verifyFalWebhook({ headers, body: BODY, jwks: foreign, now: NOW }), false);
    const { "x-fal-webhook-signature": _dropped, ...unsigned } = headers;
    assert.deepEqual(await checkFalWebhook({ headers: unsigned, body: BODY, jwks, now: NOW }), {
      ok: false,
      reason: "missing_header",
    });
  });

  it("refuses a timestamp changed after signing, and one outside the tolerance either way", async () => {
    const { headers, jwks } = await signed();
    const moved = { ...headers, "x-fal-webhook-timestamp": String(NOW / 1000 + 1) };
    assert.deepEqual(await checkFalWebhook({ headers: moved, body: BODY, jwks, now: NOW }), {
      ok: false,
      reason: "bad_signature",
    });
    // Signed 301 s before (or after) the receiver's clock: replay protection.
    for (const offset of [-301_000, 301_000]) {
      const old = await signed(NOW + offset);
      assert.deepEqual(await checkFalWebhook({ headers: old.headers, body: BODY, jwks, now: NOW }), {
        ok: false,
        reason: "stale_timestamp",
      });
    }
    const recent = await signed(NOW - 299_000);
    assert.equal(await verifyFalWebhook({ ...recent, body: BODY, now: NOW }), true);
    const wide = await signed(NOW - 3600_000);
    assert.equal(await verifyFalWebhook({ ...wide, body: BODY, now: NOW, toleranceSeconds: 7200 }), true);
  });

  it("verifies with the JWKS served by jwksRoutes", async () => {
    const app = jwksRoutes(() => storeJwks(store));
    const response = await app.request("/jwks.json");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /application\/json/);
    assert.match(response.headers.get("cache-control") ?? "", /max-age=\d+/);
    const served = (await response.json()) as { keys: Array<Record<string, string>> };
    assert.equal(served.keys[0]?.kid, (await loadSigningKey(store)).kid);
    const { headers } = await signed();
    assert.equal(await verifyFalWebhook({ headers, body: BODY, jwks: served, now: NOW }), true);
  });
});

describe("verifyFalWebhook against a delivery signed by fal itself", () => {
  // A real delivery from fal (2026-07, fal-ai/flux-2) and fal's JWKS of the time, as published in
  // an open-source receiver's conformance fixture. Proves that the message layout, the hex
  // signature and the padded base64url `x` are read the way fal writes them.
  const headers = {
    "x-fal-webhook-request-id": "019f6af7-3088-7f03-b97d-84fec4a3ce12",
    "x-fal-webhook-user-id": "github|179462",
    "x-fal-webhook-timestamp": "1784206014",
    "x-fal-webhook-signature":
      "7fea10d1dceca3517f08d4ceca8d12a674c38ac759f356d18a23832c5005c94aececff738eff54b613f3dd4eb92e4a1a6b27e14b3875972313ded9077e9d3804",
  };
  const body =
    '{"error": null, "gateway_request_id": "019f6af7-3088-7f03-b97d-84fec4a3ce12", "payload": {"has_nsfw_concepts": [false], "images": [{"content_type": "image/png", "file_name": "OsiM012ybgyaMyimaZtHJ_UJCN47Sp.png", "file_size": null, "height": 1024, "url": "https://v3b.fal.media/files/b/0aa27b79/OsiM012ybgyaMyimaZtHJ_UJCN47Sp.png", "width": 1024}], "prompt": "a red apple on a white table, clean product photography, soft light", "seed": 427063521, "timings": {"inference": 1.3716533930000878}}, "request_id": "019f6af7-3088-7f03-b97d-84fec4a3ce12", "status": "OK"}';
  const jwks = {
    keys: [
      {
        kty: "OKP",
        crv: "Ed25519",
        kid: "Eyv1ENn6NyZnEorJHsWnEDHRQ45-hnGqP0Lb-yX7Itw",
        x: "Cghs6Ge6h5B3_vMIurJPYmN23Yk-VcTk-juiIEQ6zuY=",
        use: "sig",
      },
      {
        kty: "OKP",
        crv: "Ed25519",
        kid: "q_RdVYvPKoXPwp5YOM4bhSvtWynZeoAWGOyxQiXgsmQ",
        x: "TZE-E0LB1iT29Ai1LbAh9bam1YQJkK7fEGWAmmkRm_I=",
        use: "sig",
      },
    ],
  };
  const now = 1784206014 * 1000;

  it("accepts it, trying each key of the set", async () => {
    assert.equal(await verifyFalWebhook({ headers, body, jwks, now }), true);
    // Only the first key signed it: with the second alone it fails.
    assert.equal(await verifyFalWebhook({ headers, body, jwks: { keys: [jwks.keys[1] ?? {}] }, now }), false);
  });

  it("refuses it once a byte of the body changes", async () => {
    assert.equal(
      await verifyFalWebhook({ headers, body: body.replace("427063521", "427063522"), jwks, now }),
      false,
    );
  });
});

describe("verifyFalWebhook with a JWKS URL", () => {
  it("fetches the set once and reuses it; an unreachable set throws JwksFetchError", async () => {
    const key = createSigningKey();
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwksDocument([key])));
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const jwks = `http://127.0.0.1:${port}/.well-known/jwks.json`;
      const headers = signWebhook(key, {
        requestId: "r-9",
        userId: "local",
        body: BODY,
        timestamp: NOW / 1000,
      });
      assert.equal(await verifyFalWebhook({ headers, body: BODY, jwks, now: NOW }), true);
      assert.equal(await verifyFalWebhook({ headers, body: BODY, jwks: new URL(jwks), now: NOW }), true);
      assert.equal(fetches, 1);
    } finally {
      server.close();
    }
    await assert.rejects(
      verifyFalWebhook({
        headers: signWebhook(key, { requestId: "r-9", userId: "local", body: BODY, timestamp: NOW / 1000 }),
        body: BODY,
        jwks: `http://127.0.0.1:${port}/gone.json`,
        now: NOW,
      }),
      JwksFetchError,
    );
  });
});
