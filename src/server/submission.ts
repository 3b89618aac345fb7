import type { Context } from "hono";
import { submitRequest, type SubmitOptions } from "../jobs/submit.ts";
import { BudgetExceededError, IdempotencyConflictError, type RequestRecord } from "../store/port.ts";
import type { AppEnv } from "./app-env.ts";
import type { AppDeps, ServedEndpoint } from "./deps.ts";
import { HttpError, validationError } from "./http-error.ts";
import { readLifecyclePreference } from "./lifecycle-header.ts";
import { readPriority, readStartTimeout, readVideoInput } from "./read-input.ts";
import { urlSpaceOf } from "./urls.ts";

const MAX_IDEMPOTENCY_KEY = 255;

/**
 * Reads everything a submit or run carries — input, headers, webhook — validates it all before
 * anything is stored, and enqueues. Shared by the queue and the sync route.
 */
export async function submitFromRequest(
  c: Context<AppEnv>,
  deps: AppDeps,
  endpoint: ServedEndpoint,
): Promise<RequestRecord> {
  const input = await readVideoInput(c);
  const options: SubmitOptions = {
    endpointId: endpoint.id,
    input,
    priority: readPriority(c),
    startTimeoutSeconds: readStartTimeout(c),
    pricePerSecond: endpoint.pricePerSecond,
    keyId: c.get("caller").keyId,
    idempotencyKey: readIdempotencyKey(c),
    webhookUrl: await readWebhookUrl(c, deps),
    origin: urlSpaceOf(c, deps.publicUrl).filesBase,
    retentionSeconds: readRetention(c, deps.retentionSeconds),
  };
  try {
    const record = await submitRequest(deps.store, options);
    c.set("requestId", record.id);
    return record;
  } catch (error) {
    if (error instanceof BudgetExceededError) throw new HttpError(402, { detail: error.message });
    if (error instanceof IdempotencyConflictError) {
      throw validationError([
        {
          loc: ["header", "Idempotency-Key"],
          msg: error.message,
          type: "idempotency_conflict",
          ctx: { request_id: error.existingRequestId },
        },
      ]);
    }
    throw error;
  }
}

function readIdempotencyKey(c: Context): string | null {
  const key = c.req.header("idempotency-key")?.trim();
  if (!key) return null;
  if (key.length > MAX_IDEMPOTENCY_KEY) {
    throw validationError([
      {
        loc: ["header", "Idempotency-Key"],
        msg: `String should have at most ${MAX_IDEMPOTENCY_KEY} characters`,
        type: "string_too_long",
        ctx: { max_length: MAX_IDEMPOTENCY_KEY },
      },
    ]);
  }
  return key;
}

async function readWebhookUrl(c: Context, deps: AppDeps): Promise<string | null> {
  const url = c.req.query("fal_webhook");
  if (url === undefined || url === "") return null;
  const verdict = await deps.checkWebhookUrl(url);
  if (!verdict.ok) {
    throw validationError([
      {
        loc: ["query", "fal_webhook"],
        msg: `Webhook URL refused: ${verdict.reason}`,
        type: "url_refused",
        input: url,
      },
    ]);
  }
  return url;
}

function readRetention(c: Context, defaultSeconds: number): number {
  const preference = readLifecyclePreference(
    c.req.header("x-fal-object-lifecycle-preference"),
    defaultSeconds,
  );
  if (!preference.ok) throw validationError(preference.detail);
  return preference.seconds;
}
