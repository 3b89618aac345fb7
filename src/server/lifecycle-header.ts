import type { ValidationDetail } from "../contract/validation.ts";

export const LIFECYCLE_HEADER = "x-fal-object-lifecycle-preference";

/**
 * A lifetime whose expiry (completion + seconds, in epoch ms) stays a safe integer for centuries:
 * 100 years is more than any retention anyone means, and keeps the arithmetic exact.
 */
export const MAX_RETENTION_SECONDS = 100 * 365 * 24 * 3600;

export type LifecyclePreference = { ok: true; seconds: number } | { ok: false; detail: ValidationDetail[] };

const LOC = ["header", LIFECYCLE_HEADER];

/**
 * Reads `x-fal-object-lifecycle-preference: {"expiration_duration_seconds": N}`, how long the
 * request's output files live after completion. Absent or empty: `defaultSeconds`. N must be a
 * positive integer (at most MAX_RETENTION_SECONDS); anything else is a 422 detail on the header.
 *
 * @example
 * readLifecyclePreference('{"expiration_duration_seconds": 3600}', 604800) // { ok: true, seconds: 3600 }
 * readLifecyclePreference("3600", 604800) // { ok: false, detail: [{ loc: ["header", "x-fal-…"], type: "model_attributes_type", … }] }
 */
export function readLifecyclePreference(
  headerValue: string | undefined,
  defaultSeconds: number,
): LifecyclePreference {
  const raw = headerValue?.trim();
  if (raw === undefined || raw === "") return { ok: true, seconds: defaultSeconds };

  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return refuse(`JSON decode error: ${(error as Error).message}`, "json_invalid", raw);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return refuse(
      'Input should be a JSON object such as {"expiration_duration_seconds": 3600}',
      "model_attributes_type",
      parsed,
    );
  }
  if (!("expiration_duration_seconds" in parsed)) {
    return refuse("Field required: expiration_duration_seconds", "missing", parsed);
  }
  const seconds = parsed.expiration_duration_seconds;
  if (typeof seconds !== "number" || !Number.isInteger(seconds)) {
    return refuse("expiration_duration_seconds should be a valid integer", "int_type", seconds);
  }
  if (seconds <= 0) {
    return refuse("expiration_duration_seconds should be greater than 0", "greater_than", seconds, { gt: 0 });
  }
  if (seconds > MAX_RETENTION_SECONDS) {
    return refuse(
      `expiration_duration_seconds should be less than or equal to ${MAX_RETENTION_SECONDS}`,
      "less_than_equal",
      seconds,
      { le: MAX_RETENTION_SECONDS },
    );
  }
  return { ok: true, seconds };
}

function refuse(
  msg: string,
  type: string,
  input: unknown,
  ctx?: Record<string, unknown>,
): LifecyclePreference {
  const entry: ValidationDetail = { loc: [...LOC], msg, type, input };
  return { ok: false, detail: [ctx === undefined ? entry : { ...entry, ctx }] };
}
