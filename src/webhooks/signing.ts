import { createHash, createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import { FAL_WEBHOOK_HEADERS, falWebhookMessage } from "../client/webhooks.ts";
import type { SigningKey, WebhookOutbox } from "../store/port.ts";

/**
 * Shotline signs webhook deliveries with fal's scheme (see src/client/webhooks.ts for the
 * verifying side, which also defines the signed message) and its own Ed25519 key, whose public
 * half is published at `/.well-known/jwks.json`.
 */

/** `X-Fal-Webhook-User-Id` of requests submitted without an API key (local mode). */
export const LOCAL_USER_ID = "local";

/**
 * A new Ed25519 key pair. `kid` is the RFC 7638 thumbprint of the public key, so the same key
 * always has the same id, whichever process made it.
 */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("Node exported an Ed25519 public key without `x`");
  const x = jwk.x;
  // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
  const kid = createHash("sha256")
    .update(JSON.stringify({ crv: "Ed25519", kty: "OKP", x }))
    .digest("base64url");
  return {
    kid,
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicJwk: { kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" },
  };
}

/** The deployment's key pair, made on first use and shared through the store by every process. */
export function loadSigningKey(store: Pick<WebhookOutbox, "signingKey">): Promise<SigningKey> {
  return store.signingKey(createSigningKey);
}

export interface SignedDelivery {
  requestId: string;
  /** The request's API key id, or LOCAL_USER_ID. */
  userId: string;
  /** The exact bytes that will be sent. */
  body: string;
  /** Unix seconds of sending; each attempt is signed afresh, since receivers check it is recent. */
  timestamp: number;
}

/** The four `X-Fal-Webhook-*` headers of one delivery attempt. */
export function signWebhook(key: SigningKey, delivery: SignedDelivery): Record<string, string> {
  const timestamp = String(Math.floor(delivery.timestamp));
  const message = falWebhookMessage({ ...delivery, timestamp });
  const signature = sign(null, message, createPrivateKey(key.privateKeyPem)).toString("hex");
  return {
    [FAL_WEBHOOK_HEADERS.requestId]: delivery.requestId,
    [FAL_WEBHOOK_HEADERS.userId]: delivery.userId,
    [FAL_WEBHOOK_HEADERS.timestamp]: timestamp,
    [FAL_WEBHOOK_HEADERS.signature]: signature,
  };
}

/** The JWKS document of the given keys' public halves. */
export function jwksDocument(keys: readonly SigningKey[]): { keys: Record<string, string>[] } {
  return { keys: keys.map((key) => ({ ...key.publicJwk })) };
}

/** The JWKS of a store's signing key: what `jwksRoutes` serves. */
export async function storeJwks(store: Pick<WebhookOutbox, "signingKey">) {
  return jwksDocument([await loadSigningKey(store)]);
}
