import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

import type { AspectRatio } from "../../contract/input.ts";
import { WorkflowError } from "./errors.ts";

/**
 * Terminology
 * - graph: a ComfyUI workflow in API format, `{ "<node id>": { class_type, inputs } }`; an input
 *   that is `["<node id>", <output index>]` links to another node's output.
 * - workflow file: a graph alone (what ComfyUI's "Export (API)" writes), or
 *   `{ "shotline": <settings>, "prompt": <graph> }` — the `POST /prompt` body plus Shotline's settings.
 * - placeholder: `{{name}}` inside a string input, filled for each shot (see the README beside this file).
 * - native shot: the size, frame rate and length asked of the model, before Shotline conforms it.
 */

export type Graph = Record<
  string,
  { class_type: string; inputs: Record<string, unknown>; [key: string]: unknown }
>;

/** Templates shipped beside this module, by the name `SHOTLINE_COMFYUI_WORKFLOW` takes. */
export const SHIPPED_WORKFLOWS = ["wan2.2-ti2v-5b", "ltx-video"] as const;

export const PLACEHOLDERS = [
  "prompt",
  "negative_prompt",
  "width",
  "height",
  "frames",
  "fps",
  "seed",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
const NUMERIC: ReadonlySet<Placeholder> = new Set(["width", "height", "frames", "fps", "seed"]);
const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

const size = z.tuple([z.number().int().min(16), z.number().int().min(16)]);
type Size = z.output<typeof size>;
const DEFAULT_SIZES: Record<AspectRatio, Size> = {
  "16:9": [1280, 704],
  "9:16": [704, 1280],
  "1:1": [960, 960],
};

/** What Shotline asks of the model; a bare graph gets these defaults (Wan 2.2 TI2V-5B's). */
const SettingsSchema = z.object({
  description: z.string().default("a ComfyUI workflow"),
  /** Native width × height per aspect ratio, before conforming. */
  sizes: z
    .object({ "16:9": size, "9:16": size, "1:1": size })
    .partial()
    .default({})
    .transform((given): Record<AspectRatio, Size> => ({
      "16:9": given["16:9"] ?? DEFAULT_SIZES["16:9"],
      "9:16": given["9:16"] ?? DEFAULT_SIZES["9:16"],
      "1:1": given["1:1"] ?? DEFAULT_SIZES["1:1"],
    })),
  /** Native frame rate of the model's output. */
  fps: z.number().positive().max(240).default(24),
  /** Frame counts the model accepts are `1 + k × frame_step` (Wan: 4, LTX-Video: 8); 1: any count. */
  frame_step: z.number().int().min(1).default(1),
  /** Most frames one run may ask for; longer shots hold their last frame. */
  max_frames: z.number().int().min(1).optional(),
  /** Text for `{{negative_prompt}}`. */
  negative_prompt: z.string().default(""),
});

export type WorkflowSettings = z.output<typeof SettingsSchema>;

export interface Workflow {
  /** Where it came from: a shipped name or a file path (for messages). */
  source: string;
  settings: WorkflowSettings;
  graph: Graph;
}

/** The values of one shot's placeholders. */
export type PlaceholderValues = Record<Placeholder, string | number>;

/**
 * Reads a shipped template by name, or an API-format workflow file by path, and checks it: JSON,
 * API format, links to existing nodes, only known placeholders, `{{prompt}}` used somewhere.
 * Synchronous, so that a bad file stops the process at start.
 * @example const workflow = loadWorkflow("wan2.2-ti2v-5b");
 */
export function loadWorkflow(nameOrPath: string): Workflow {
  const shipped = (SHIPPED_WORKFLOWS as readonly string[]).includes(nameOrPath);
  const file = shipped
    ? fileURLToPath(new URL(`./workflows/${nameOrPath}.json`, import.meta.url))
    : path.resolve(nameOrPath);
  if (!existsSync(file)) {
    throw new WorkflowError(
      `${nameOrPath}: no such workflow file (shipped templates: ${SHIPPED_WORKFLOWS.join(", ")})`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new WorkflowError(`${nameOrPath}: cannot read (${(error as Error).message})`, { cause: error });
  }
  return parseWorkflow(text, nameOrPath);
}

/** Parses and checks the text of a workflow file (see `loadWorkflow`). */
export function parseWorkflow(text: string, source: string): Workflow {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorkflowError(`${source}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isObject(json)) throw new WorkflowError(`${source}: expected a JSON object of nodes`);
  if (Array.isArray(json["nodes"]) && "links" in json) {
    throw new WorkflowError(
      `${source}: this is the editor's format; save the workflow with "Export (API)" in ComfyUI instead`,
    );
  }
  const wrapped = isObject(json["prompt"]) && !("class_type" in json["prompt"]);
  const settingsJson = wrapped ? (json["shotline"] ?? {}) : {};
  const parsed = SettingsSchema.safeParse(settingsJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkflowError(
      `${source}: shotline.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid settings"}`,
    );
  }
  const graph = checkGraph(wrapped ? json["prompt"] : json, source);
  return { source, settings: parsed.data, graph };
}

function checkGraph(value: unknown, source: string): Graph {
  if (!isObject(value) || Object.keys(value).length === 0) {
    throw new WorkflowError(`${source}: the workflow has no nodes`);
  }
  const used = new Set<string>();
  for (const [id, node] of Object.entries(value)) {
    if (!isObject(node) || typeof node["class_type"] !== "string" || !isObject(node["inputs"])) {
      throw new WorkflowError(
        `${source}: node ${id} is not in API format ({"class_type": "…", "inputs": {…}}); use "Export (API)"`,
      );
    }
    for (const [input, given] of Object.entries(node["inputs"])) {
      if (isLink(given) && !(given[0] in value)) {
        throw new WorkflowError(
          `${source}: node ${id} input ${input} links to node ${given[0]}, which is missing`,
        );
      }
    }
    visitStrings(node["inputs"], (text) => {
      for (const match of text.matchAll(PLACEHOLDER_PATTERN)) used.add(match[1] ?? "");
    });
  }
  const unknown = [...used].filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new WorkflowError(
      `${source}: unknown placeholder(s) ${unknown.map((name) => `{{${name}}}`).join(", ")} ` +
        `(known: ${PLACEHOLDERS.map((name) => `{{${name}}}`).join(", ")})`,
    );
  }
  if (!used.has("prompt")) {
    throw new WorkflowError(`${source}: no input holds {{prompt}}, so every shot would ignore its prompt`);
  }
  return value as Graph;
}

/**
 * A copy of the graph with every placeholder filled. A string that is only a numeric placeholder
 * (`"{{width}}"`) becomes a JSON number, as ComfyUI's INT and FLOAT inputs expect; a placeholder
 * inside other text (`"shotline/{{seed}}"`) is replaced as text.
 * @example fillGraph(workflow.graph, values)["7"].inputs.width // 1280
 */
export function fillGraph(graph: Graph, values: PlaceholderValues): Graph {
  const fill = (value: unknown): unknown => {
    if (typeof value === "string") {
      const whole = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$/.exec(value)?.[1] as Placeholder | undefined;
      if (whole !== undefined && NUMERIC.has(whole)) return Number(values[whole]);
      return value.replace(PLACEHOLDER_PATTERN, (_, name: string) => String(values[name as Placeholder]));
    }
    if (isLink(value)) return value;
    if (Array.isArray(value)) return value.map(fill);
    if (isObject(value))
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
    return value;
  };
  return Object.fromEntries(
    Object.entries(graph).map(([id, node]) => [
      id,
      { ...node, inputs: fill(node.inputs) as Record<string, unknown> },
    ]),
  );
}

/** What one shot asks of the model. */
export interface NativeShot {
  width: number;
  height: number;
  fps: number;
  /** On the model's frame grid, capped at `max_frames`. */
  frames: number;
  /** Frames of output the native shot lacks, held on its last frame (0 unless capped). */
  heldFrames: number;
}

/**
 * The native size, frame rate and length that cover a shot of `seconds` at the output rate.
 * @example nativeShot(wan.settings, "16:9", 5, 24) // { width: 1280, height: 704, fps: 24, frames: 121, heldFrames: 0 }
 */
export function nativeShot(
  settings: WorkflowSettings,
  aspectRatio: AspectRatio,
  seconds: number,
  outputFps: number,
): NativeShot {
  const [width, height] = settings.sizes[aspectRatio];
  const step = settings.frame_step;
  const needed = Math.ceil(seconds * settings.fps - 1e-9);
  const onGrid = (count: number, round: (x: number) => number) =>
    1 + step * round(Math.max(0, count - 1) / step);
  let frames = step === 1 ? needed : onGrid(needed, Math.ceil);
  if (settings.max_frames !== undefined && frames > settings.max_frames) {
    frames = step === 1 ? settings.max_frames : onGrid(settings.max_frames, Math.floor);
  }
  const covered = Math.floor((frames / settings.fps) * outputFps + 1e-9);
  const heldFrames = Math.max(0, Math.round(seconds * outputFps) - covered);
  return { width, height, fps: settings.fps, frames, heldFrames };
}

/**
 * A seed per shot, derived from the request's seed and the shot's position (murmur3's finaliser):
 * the same request always asks ComfyUI for the same seeds, and shots differ from each other.
 */
export function shotSeed(requestSeed: number, shotIndex: number): number {
  let h = (requestSeed ^ Math.imul(shotIndex + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === "string") visit(value);
  else if (Array.isArray(value)) value.forEach((inner) => visitStrings(inner, visit));
  else if (isObject(value)) Object.values(value).forEach((inner) => visitStrings(inner, visit));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isLink(value: unknown): value is [string, number] {
  return (
    Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && Number.isInteger(value[1])
  );
}
