import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { KeyStore } from "../store/port.ts";

/** Who is calling: an API key, or nobody (local mode). */
export interface Caller {
  keyId: string | null;
  admin: boolean;
}

export const ANONYMOUS: Caller = { keyId: null, admin: false };

export type AuthFailure = "missing" | "malformed" | "unknown" | "revoked";
export type AuthResult = { ok: true; caller: Caller } | { ok: false; failure: AuthFailure };

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

/**
 * Makes a key and stores only the hash of its secret. The returned `token` (`key_id:secret`) is
 * the only time the secret is seen.
 * @example const { token } = await createApiKey(store, { name: "ci", budgetUsd: 10, admin: false });
 */
export async function createApiKey(
  store: KeyStore,
  options: { name: string; budgetUsd: number | null; admin: boolean },
): Promise<{ keyId: string; token: string }> {
  const keyId = randomUUID();
  const secret = randomBytes(32).toString("hex");
  await store.createKey({
    id: keyId,
    name: options.name,
    secretHash: hashSecret(secret),
    admin: options.admin,
    budgetUsd: options.budgetUsd,
    createdAt: Date.now(),
  });
  return { keyId, token: `${keyId}:${secret}` };
}

const KEY_HEADER = /^Key\s+([^:\s]+):(\S+)$/;

/** Checks an `Authorization: Key <key_id>:<key_secret>` header against the store. */
export async function authenticateHeader(store: KeyStore, header: string | undefined): Promise<AuthResult> {
  if (header === undefined || header.trim() === "") return { ok: false, failure: "missing" };
  const match = KEY_HEADER.exec(header.trim());
  if (!match) return { ok: false, failure: "malformed" };
  const [, keyId = "", secret = ""] = match;
  const key = await store.findKey(keyId);
  const given = Buffer.from(hashSecret(secret), "hex");
  // Compared in constant time, and hashed even for unknown ids, so timing tells nothing.
  const expected = Buffer.from(key?.secretHash ?? hashSecret(""), "hex");
  if (!key || !timingSafeEqual(given, expected)) return { ok: false, failure: "unknown" };
  if (key.revokedAt !== null) return { ok: false, failure: "revoked" };
  return { ok: true, caller: { keyId: key.id, admin: key.admin } };
}
