import { readFile } from "node:fs/promises";
import { ASPECT_RATIOS, MAX_SHOTS, type VideoInput } from "../../contract/input.ts";
import { validateInput, type ValidationDetail } from "../../contract/validation.ts";
import { UsageError } from "../usage-error.ts";

/** `generate`'s flags for the input, with the values the schema allows (the usage text shows them). */
export const INPUT_FLAGS = {
  aspect: { type: "string" },
  duration: { type: "string" },
  shot: { type: "string", multiple: true },
  "shot-duration": { type: "string", multiple: true },
  storyboard: { type: "string" },
} as const;

export const INPUT_USAGE = `  generate "PROMPT" [--aspect ${ASPECT_RATIOS.join("|")}] [--duration 3..15]
                                                       Submit a request, follow it, save the video
  generate --shot "TEXT" [--shot-duration 1..15] …     A storyboard: up to ${MAX_SHOTS} shots, 15 s in all
  generate --storyboard FILE.json                      … read from [{"prompt": "…", "duration": "3"}, …]`;

interface Token {
  kind: string;
  name?: string;
  value?: string | undefined;
}

export interface InputFlagValues {
  prompt: string | undefined;
  aspect?: string | undefined;
  duration?: string | undefined;
  storyboard?: string | undefined;
}

/**
 * The request body that `generate`'s flags describe, checked with the endpoint's own schema, so bad
 * input fails here with the flag named (the server checks it again). `--shot-duration` belongs to
 * the `--shot` before it, so the tokens are read in order.
 */
export async function inputFromFlags(values: InputFlagValues, tokens: readonly Token[]): Promise<VideoInput> {
  const shots: { prompt: string; duration?: string }[] = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (token.name === "shot") shots.push({ prompt: token.value ?? "" });
    if (token.name === "shot-duration") {
      const shot = shots.at(-1);
      if (!shot) throw new UsageError("--shot-duration must follow the --shot it belongs to");
      shot.duration = token.value ?? "";
    }
  }
  const sources = [values.prompt !== undefined, shots.length > 0, values.storyboard !== undefined];
  if (sources.filter(Boolean).length !== 1) {
    throw new UsageError('give one of: a "PROMPT", --shot pairs, or --storyboard FILE');
  }
  if (values.duration !== undefined && values.prompt === undefined) {
    throw new UsageError("--duration is for a single prompt; give each shot its --shot-duration");
  }

  const fromFlags: Record<string, unknown> = {
    ...(values.prompt !== undefined && { prompt: values.prompt }),
    ...(shots.length > 0 && { multi_prompt: shots }),
    ...(values.aspect !== undefined && { aspect_ratio: values.aspect }),
    ...(values.duration !== undefined && { duration: values.duration }),
  };
  const fromFile = values.storyboard === undefined ? {} : await readStoryboard(values.storyboard);
  const checked = validateInput({ ...fromFile, ...fromFlags });
  if (checked.ok) return checked.input;
  const named = ({ loc, msg }: ValidationDetail) => {
    const field = String(loc[1] ?? "");
    const from =
      values.storyboard !== undefined && !(field in fromFlags)
        ? `--storyboard ${values.storyboard}: ${loc.slice(1).join(".") || "body"}`
        : flagOf(loc);
    return `${from}: ${msg}`;
  };
  throw new UsageError(checked.detail.map(named).join("\n"));
}

async function readStoryboard(file: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--storyboard ${file}: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) return { multi_prompt: parsed };
  if (parsed !== null && typeof parsed === "object") return parsed as Record<string, unknown>;
  throw new UsageError(`--storyboard ${file}: expected a list of shots or a request body`);
}

const FLAG_OF_FIELD: Record<string, string> = {
  prompt: "the prompt",
  aspect_ratio: "--aspect",
  duration: "--duration",
  multi_prompt: "--shot",
};

/** The flag a 422-style `loc` points at, e.g. `--shot-duration (shot 2)` for `body.multi_prompt.1.duration`. */
function flagOf(loc: ValidationDetail["loc"]): string {
  const [, field, index, inner] = loc;
  if (field === "multi_prompt" && typeof index === "number") {
    return `${inner === "duration" ? "--shot-duration" : "--shot"} (shot ${index + 1})`;
  }
  return (typeof field === "string" && FLAG_OF_FIELD[field]) || loc.slice(1).join(".") || "input";
}
