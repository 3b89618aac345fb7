/** Messages per form field, keyed by the field's path: `prompt`, `multi_prompt`, `multi_prompt.2.duration`. */
export type FieldErrors = Record<string, string[]>;

interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
}

/** A non-2xx answer of the server, with fal's body (`{detail: string}` or pydantic-style `detail[]`). */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(messageOf(status, body));
  }

  /** The 422 entries by field path (fal's clients match the field on `loc`, after `body`). */
  fieldErrors(): FieldErrors {
    const errors: FieldErrors = {};
    for (const entry of validationDetails(this.body)) {
      const path = (entry.loc[0] === "body" ? entry.loc.slice(1) : entry.loc).join(".");
      (errors[path] ??= []).push(entry.msg);
    }
    return errors;
  }
}

function validationDetails(body: unknown): ValidationDetail[] {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (!Array.isArray(detail)) return [];
  return detail.filter(
    (entry): entry is ValidationDetail =>
      typeof entry === "object" &&
      entry !== null &&
      Array.isArray(entry.loc) &&
      typeof entry.msg === "string",
  );
}

function messageOf(status: number, body: unknown): string {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === "string") return detail;
  const entries = validationDetails(body);
  if (entries.length > 0) return entries.map((entry) => entry.msg).join("; ");
  return `The server answered ${status}`;
}
