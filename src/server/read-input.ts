import type { Context } from "hono";
import type { VideoInput } from "../contract/input.ts";
import { PRIORITIES, type Priority } from "../contract/queue.ts";
import { invalidJsonDetail, validateInput } from "../contract/validation.ts";
import { validationError } from "./http-error.ts";

/**
 * Reads and validates the input of a submit or run. The body is JSON whatever its content type
 * (curl's `--data '{}'` sends a form type); an empty body is `{}`, as fal's client sends none
 * when given no input.
 */
export async function readVideoInput(c: Context): Promise<VideoInput> {
  const text = await c.req.text();
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw validationError(invalidJsonDetail((error as Error).message));
    }
  }
  const result = validateInput(body);
  if (!result.ok) throw validationError(result.detail);
  return result.input;
}

/** `x-fal-queue-priority`: `normal` (default) or `low`. */
export function readPriority(c: Context): Priority {
  const raw = c.req.header("x-fal-queue-priority")?.trim().toLowerCase();
  if (raw === undefined || raw === "") return "normal";
  if ((PRIORITIES as readonly string[]).includes(raw)) return raw as Priority;
  throw validationError([
    {
      loc: ["header", "x-fal-queue-priority"],
      msg: "Input should be 'normal' or 'low'",
      type: "enum",
      input: raw,
      ctx: { expected: "'normal' or 'low'" },
    },
  ]);
}

/** `x-fal-request-timeout`: seconds (a float such as `30.0` is fine) the request may wait to start. */
export function readStartTimeout(c: Context): number | null {
  const raw = c.req.header("x-fal-request-timeout")?.trim();
  if (raw === undefined || raw === "") return null;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw validationError([
      {
        loc: ["header", "x-fal-request-timeout"],
        msg: "Input should be a positive number of seconds",
        type: "greater_than",
        input: raw,
        ctx: { gt: 0 },
      },
    ]);
  }
  return seconds;
}
