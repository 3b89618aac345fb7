import type { z } from "zod";
import { VideoInputSchema, type VideoInput } from "./input.ts";

/** One entry of a 422 `detail` array, shaped like pydantic's (what fal's clients read). */
export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export type ValidationResult = { ok: true; input: VideoInput } | { ok: false; detail: ValidationDetail[] };

/**
 * Validates a parsed JSON body against the endpoint's input schema.
 * @example validateInput({ aspect_ratio: "4:3" }) // { ok: false, detail: [{ loc: ["body", "aspect_ratio"], type: "enum", … }] }
 */
export function validateInput(body: unknown): ValidationResult {
  const parsed = VideoInputSchema.safeParse(body, { reportInput: true });
  if (parsed.success) return { ok: true, input: withoutAbsentKeys(parsed.data) };
  return { ok: false, detail: parsed.error.issues.map(toDetail) };
}

/** `null` fields come out of the schema as present-but-undefined keys; drop them. */
const withoutAbsentKeys = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** A body that is not JSON at all, in pydantic's words. */
export function invalidJsonDetail(reason: string): ValidationDetail[] {
  return [{ loc: ["body"], msg: `JSON decode error: ${reason}`, type: "json_invalid" }];
}

const quoteList = (values: readonly unknown[]) => {
  const quoted = values.map((v) => `'${String(v)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : (quoted[0] ?? "");
};

const TYPE_NAMES: Record<string, { type: string; msg: string }> = {
  string: { type: "string_type", msg: "Input should be a valid string" },
  array: { type: "list_type", msg: "Input should be a valid list" },
  object: { type: "model_attributes_type", msg: "Input should be a valid dictionary or object" },
  number: { type: "float_type", msg: "Input should be a valid number" },
};

function toDetail(issue: z.core.$ZodIssue): ValidationDetail {
  const loc = ["body", ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  const input = "input" in issue ? issue.input : undefined;
  const withInput = (entry: ValidationDetail): ValidationDetail =>
    input === undefined ? entry : { ...entry, input };

  switch (issue.code) {
    case "invalid_type": {
      if (input === undefined) return { loc, msg: "Field required", type: "missing" };
      const known = TYPE_NAMES[issue.expected];
      return withInput({
        loc,
        msg: known?.msg ?? `Input should be of type ${issue.expected}`,
        type: known?.type ?? `${issue.expected}_type`,
      });
    }
    case "invalid_value": {
      const expected = quoteList(issue.values);
      return withInput({ loc, msg: `Input should be ${expected}`, type: "enum", ctx: { expected } });
    }
    case "too_big":
    case "too_small": {
      const limit = Number(issue.code === "too_big" ? issue.maximum : issue.minimum);
      const bound = issue.code === "too_big" ? "most" : "least";
      const long = issue.code === "too_big" ? "long" : "short";
      if (issue.origin === "string") {
        const unit = limit === 1 ? "character" : "characters";
        return withInput({
          loc,
          msg: `String should have at ${bound} ${limit} ${unit}`,
          type: `string_too_${long}`,
          ctx: { [issue.code === "too_big" ? "max_length" : "min_length"]: limit },
        });
      }
      if (issue.origin === "array") {
        const actual = Array.isArray(input) ? input.length : undefined;
        const unit = limit === 1 ? "item" : "items";
        return withInput({
          loc,
          msg: `List should have at ${bound} ${limit} ${unit} after validation, not ${actual}`,
          type: `too_${long}`,
          ctx: {
            field_type: "List",
            [issue.code === "too_big" ? "max_length" : "min_length"]: limit,
            actual_length: actual,
          },
        });
      }
      return withInput({ loc, msg: issue.message, type: issue.code });
    }
    case "custom":
      return withInput({ loc, msg: `Value error, ${issue.message}`, type: "value_error" });
    default:
      return withInput({ loc, msg: issue.message, type: issue.code });
  }
}
