import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";

/**
 * Verifies webhook deliveries signed the way fal signs them, for receivers of Shotline's webhooks
 * (and, by the same scheme, fal's). Standalone: it imports only Node built-ins, so a receiver can
 * copy this one file.
 *
 * The scheme: four headers carry the request id, the user id, the time of sending (Unix seconds)
 * and an Ed25519 signature (hex) over
 * `request_id + "\n" + user_id + "\n" + timestamp + "\n" + hex(sha256(raw body))`.
 * The sender's public keys are published as a JWKS (`kty: "OKP"`, `crv: "Ed25519"`, `x` base64url);
 * the headers name no key, so every key of the set is tried, as fal's own example does.
 */

export const FAL_WEBHOOK_HEADERS = {
  requestId: "x-fal-webhook-request-id",
  userId: "x-fal-webhook-user-id",
  timestamp: "x-fal-webhook-timestamp",
  signature: "x-fal-webhook-signature",
} as const;

/** fal's own webhook keys. A Shotline deployment serves its keys at `{origin}/.well-known/jwks.json`. */
export const FAL_JWKS_URL = "https://rest.alpha.fal.ai/.well-known/jwks.json";

export interface JsonWebKeySet {
  keys: ReadonlyArray<Record<string, unknown>>;
}

export type WebhookHeaders =
  Headers | Record<string, string | readonly string[] | undefined> | ReadonlyMap<string, string>;

export interface VerifyFalWebhookOptions {
  /** The request's headers: a fetch `Headers`, or Node's `req.headers` (any letter case). */
  headers: WebhookHeaders;
  /** The raw body exactly as received: a re-serialised JSON object would not match the signature. */
  body: string | Uint8Array;
  /** The key set itself, or the URL it is fetched from (cached for `jwksCacheSeconds`). */
  jwks: JsonWebKeySet | string | URL;
  /** How far the timestamp may be from `now`, either way. */
  toleranceSeconds?: number;
  /** Epoch milliseconds to check the timestamp against; `Date.now()` by default. */
  now?: number;
  jwksCacheSeconds?: number;
}

export type WebhookCheck =
  | { ok: true }
  | { ok: false; reason: "missing_header" | "bad_timestamp" | "stale_timestamp" | "bad_signature" };

/** The key set could not be fetched: answer the delivery with a 5xx so that the sender retries it. */
export class JwksFetchError extends Error {
  override name = "JwksFetchError";
  constructor(
    readonly url: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(`Could not fetch the webhook key set from ${url}: ${message}`, options);
  }
}

/**
 * True when the delivery is signed by a key of `jwks` and was sent within `toleranceSeconds` of
 * now. False for a forged, altered, replayed-later or unsigned delivery (answer it with 401).
 * Throws JwksFetchError when a JWKS URL cannot be fetched: that is an outage, not a forgery.
 *
 * @example
 * import { createServer } from "node:http";
 * import { verifyFalWebhook } from "./webhooks.ts"; // this file, src/client/webhooks.ts
 *
 * createServer(async (req, res) => {
 *   const chunks: Buffer[] = [];
 *   for await (const chunk of req) chunks.push(chunk as Buffer);
 *   const body = Buffer.concat(chunks);
 *   const jwks = "https://shotline.example.com/.well-known/jwks.json";
 *   if (!(await verifyFalWebhook({ headers: req.headers, body, jwks }))) {
 *     res.writeHead(401).end();
 *     return;
 *   }
 *   const delivery = JSON.parse(body.toString("utf8")); // {request_id, status, payload, …}
 *   res.writeHead(200).end();
 * }).listen(3000);
 */
export async function verifyFalWebhook(options: VerifyFalWebhookOptions): Promise<boolean> {
  return (await checkFalWebhook(options)).ok;
}

/** `verifyFalWebhook` with the reason of a refusal, for logs. */
export async function checkFalWebhook(options: VerifyFalWebhookOptions): Promise<WebhookCheck> {
  const requestId = headerValue(options.headers, FAL_WEBHOOK_HEADERS.requestId);
  const userId = headerValue(options.headers, FAL_WEBHOOK_HEADERS.userId);
  const timestamp = headerValue(options.headers, FAL_WEBHOOK_HEADERS.timestamp);
  const signature = headerValue(options.headers, FAL_WEBHOOK_HEADERS.signature);
  // The user id may be empty; the others may not.
  if (!requestId || userId === undefined || !timestamp || !signature) {
    return { ok: false, reason: "missing_header" };
  }
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: "bad_timestamp" };
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = (options.now ?? Date.now()) / 1000;
  // Both ways: a clock ahead of ours is as suspicious as an old delivery replayed.
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return { ok: false, reason: "stale_timestamp" };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: "bad_signature" };

  const message = falWebhookMessage({ requestId, userId, timestamp, body: options.body });
  const signatureBytes = Buffer.from(signature, "hex");
  const matches = (keys: readonly KeyObject[]) =>
    keys.some((key) => verify(null, message, key, signatureBytes));

  if (typeof options.jwks === "object" && !(options.jwks instanceof URL)) {
    return matches(publicKeysOf(options.jwks)) ? { ok: true } : { ok: false, reason: "bad_signature" };
  }
  const url = String(options.jwks);
  const cacheMs = (options.jwksCacheSeconds ?? 3600) * 1000;
  if (matches(await cachedKeys(url, cacheMs))) return { ok: true };
  // The sender may have rotated its key since the set was cached: fetch it again, at most once a minute.
  const cached = jwksCache.get(url);
  if (cached && Date.now() - cached.fetchedAt > 60_000) {
    jwksCache.delete(url);
    if (matches(await cachedKeys(url, cacheMs))) return { ok: true };
  }
  return { ok: false, reason: "bad_signature" };
}

/** The bytes a delivery's signature covers. */
export function falWebhookMessage(parts: {
  requestId: string;
  userId: string;
  timestamp: string;
  body: string | Uint8Array;
}): Buffer {
  const bodyHash = createHash("sha256").update(parts.body).digest("hex");
  return Buffer.from([parts.requestId, parts.userId, parts.timestamp, bodyHash].join("\n"), "utf8");
}

/** The Ed25519 keys of a set; other keys are skipped. `x` may carry `=` padding (fal's does). */
export function publicKeysOf(jwks: JsonWebKeySet): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const jwk of Array.isArray(jwks.keys) ? jwks.keys : []) {
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") continue;
    const raw = Buffer.from(jwk.x, "base64url");
    if (raw.length !== 32) continue;
    // Built as SPKI DER rather than passed as a JWK: Node's JWK import is strict about padding.
    keys.push(
      createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" }),
    );
  }
  return keys;
}

// SubjectPublicKeyInfo of an Ed25519 key (RFC 8410), up to the 32 key bytes.
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

const jwksCache = new Map<string, { keys: Promise<KeyObject[]>; fetchedAt: number }>();

function cachedKeys(url: string, cacheMs: number): Promise<KeyObject[]> {
  const cached = jwksCache.get(url);
  if (cached && Date.now() - cached.fetchedAt < cacheMs) return cached.keys;
  // Concurrent deliveries share one fetch; a failed fetch is not cached.
  const keys = fetchKeys(url);
  jwksCache.set(url, { keys, fetchedAt: Date.now() });
  keys.catch(() => jwksCache.delete(url));
  return keys;
}

async function fetchKeys(url: string): Promise<KeyObject[]> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(10_000),
      headers: { accept: "application/json" },
    });
  } catch (error) {
    throw new JwksFetchError(url, error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (!response.ok) throw new JwksFetchError(url, `HTTP ${response.status}`);
  let document: unknown;
  try {
    document = await response.json();
  } catch (error) {
    throw new JwksFetchError(url, "the answer is not JSON", { cause: error });
  }
  if (typeof document !== "object" || document === null || !Array.isArray((document as JsonWebKeySet).keys)) {
    throw new JwksFetchError(url, "the answer has no `keys` array");
  }
  return publicKeysOf(document as JsonWebKeySet);
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (headers instanceof Map) {
    for (const [key, value] of headers) if (key.toLowerCase() === name) return value;
    return undefined;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === "string" ? value : value?.[0];
  }
  return undefined;
}
