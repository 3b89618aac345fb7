import type { ValidationDetail } from "../contract/validation.ts";

/**
 * The one error family of the HTTP layer. A route throws it; the app's `onError` turns it into
 * fal's body shape. Anything else thrown is a bug: logged and answered as a 500.
 */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === "string" ? body.detail : `HTTP ${status}`);
  }
}

/** 422 with a pydantic-style `detail` array; fal's JS client turns it into a `ValidationError`. */
export const validationError = (detail: ValidationDetail[]) => new HttpError(422, { detail });

export const requestNotFound = () => new HttpError(404, { status: "NOT_FOUND", detail: "Request not found" });
