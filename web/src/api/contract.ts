import type { LogEntry, QueueReceipt, RequestMetrics, StatusBody } from "../../../src/contract/queue.ts";

export type { LogEntry, QueueReceipt, RequestMetrics, StatusBody };

/** One endpoint as `/healthz` lists it. */
export interface EndpointInfo {
  id: string;
  engine: string;
  engine_description: string;
  price_per_second: number;
}

export interface Shot {
  prompt: string;
  duration: string;
}

/** The JSON body a submit sends: one prompt, or a storyboard of shots. */
export interface VideoRequestInput {
  prompt?: string;
  multi_prompt?: Shot[];
  aspect_ratio: string;
  duration?: string;
}

/** fal's VideoFile. */
export interface VideoFile {
  url: string;
  content_type: string;
  file_name: string;
  file_size: number;
  width: number;
  height: number;
  fps: number;
  duration: number;
  num_frames: number;
}

/** Everything the form needs to know about one endpoint's input. */
export interface FormLimits {
  promptMaxChars: number;
  promptAdvisedChars: number;
  aspectRatios: string[];
  defaultAspectRatio: string;
  durations: string[];
  defaultDuration: string;
  minShots: number;
  maxShots: number;
  shotDurations: string[];
  defaultShotDuration: string;
  maxStoryboardSeconds: number;
}

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } }>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Reads the form's limits from the endpoint's OpenAPI document (the server generates it from
 * the same zod schema that validates requests), so the form never disagrees with the server.
 */
export function limitsFromOpenApi(doc: OpenApiDocument, endpointId: string): FormLimits {
  const resolve = (schema: JsonSchema | undefined, where: string): JsonSchema => {
    const name = schema?.$ref?.replace("#/components/schemas/", "");
    const resolved = name === undefined ? schema : doc.components?.schemas?.[name];
    if (!resolved) throw new Error(`The OpenAPI document has no schema for ${where}`);
    return resolved;
  };
  const body = doc.paths[`/queue/${endpointId}`]?.post?.requestBody?.content?.["application/json"]?.schema;
  const input = resolve(body, `the input of ${endpointId}`);
  const field = (schema: JsonSchema, name: string) => resolve(schema.properties?.[name], name);
  const options = (schema: JsonSchema, name: string) => {
    const values = field(schema, name).enum?.map(String);
    if (!values?.length) throw new Error(`The OpenAPI document lists no values for ${name}`);
    return values;
  };
  const fallback = (schema: JsonSchema, name: string, values: string[]) => {
    const given = field(schema, name).default;
    return typeof given === "string" && values.includes(given) ? given : (values[0] as string);
  };

  const storyboard = field(input, "multi_prompt");
  const shot = resolve(storyboard.items, "a storyboard shot");
  const aspectRatios = options(input, "aspect_ratio");
  const durations = options(input, "duration");
  const shotDurations = options(shot, "duration");
  return {
    promptMaxChars: field(input, "prompt").maxLength ?? Number.POSITIVE_INFINITY,
    promptAdvisedChars: __CONTRACT_LIMITS__.promptAdvisedChars,
    aspectRatios,
    defaultAspectRatio: fallback(input, "aspect_ratio", aspectRatios),
    durations,
    defaultDuration: fallback(input, "duration", durations),
    minShots: storyboard.minItems ?? 1,
    maxShots: storyboard.maxItems ?? Number.POSITIVE_INFINITY,
    shotDurations,
    defaultShotDuration: fallback(shot, "duration", shotDurations),
    maxStoryboardSeconds: __CONTRACT_LIMITS__.maxStoryboardSeconds,
  };
}
