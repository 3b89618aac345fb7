import { z } from "zod";
import { MultiPromptElementSchema, VideoInputSchema } from "../contract/input.ts";
import { VideoFileSchema, VideoOutputSchema } from "../contract/output.ts";
import { endpointIdentity } from "../jobs/endpoints.ts";
import type { ServedEndpoint } from "./deps.ts";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: object, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Schemas fal's documents name, generated from the contract's zod schemas. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const schema of [VideoInputSchema, MultiPromptElementSchema, VideoOutputSchema, VideoFileSchema]) {
    registry.add(schema, { id: schema.meta()?.id as string });
  }
  const { schemas } = z.toJSONSchema(registry, {
    io: "input",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  for (const schema of Object.values(schemas)) {
    delete (schema as { $schema?: string }).$schema;
    delete (schema as { $id?: string }).$id;
  }
  return {
    ...schemas,
    QueueStatus: {
      type: "object",
      required: [
        "status",
        "request_id",
        "response_url",
        "status_url",
        "cancel_url",
        "queue_position",
        "logs",
      ],
      properties: {
        status: { type: "string", enum: ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"] },
        request_id: { type: "string", format: "uuid" },
        response_url: { type: "string", format: "uri" },
        status_url: { type: "string", format: "uri" },
        cancel_url: { type: "string", format: "uri" },
        queue_position: { type: ["integer", "null"], description: "Requests ahead of this one (0-based)." },
        logs: { type: ["array", "null"], items: ref("LogEntry") },
        progress: {
          type: "number",
          minimum: 0,
          maximum: 1,
          description: "Shotline: fraction done while running.",
        },
        metrics: {
          type: "object",
          properties: {
            inference_time: { type: "number" },
            billable_seconds: { type: "number" },
            cost_usd: { type: "number" },
          },
        },
        error: { type: "string" },
        error_type: { type: "string" },
      },
    },
    LogEntry: {
      type: "object",
      required: ["message", "level", "source", "timestamp"],
      properties: {
        message: { type: "string" },
        level: { type: "string", enum: ["DEBUG", "INFO", "WARN", "ERROR", "STDOUT", "STDERR"] },
        source: { type: "string", enum: ["USER"] },
        timestamp: { type: "string", format: "date-time" },
      },
    },
    HTTPValidationError: {
      type: "object",
      properties: { detail: { type: "array", items: ref("ValidationError") } },
    },
    ValidationError: {
      type: "object",
      required: ["loc", "msg", "type"],
      properties: {
        loc: { type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] } },
        msg: { type: "string" },
        type: { type: "string" },
        ctx: { type: "object" },
        input: {},
      },
    },
  };
}

/** OpenAPI 3.1 document of the queue and sync routes of every served endpoint. */
export function openApiDocument(endpoints: ServedEndpoint[], serverUrl: string) {
  const requestId = { name: "request_id", in: "path", required: true, schema: { type: "string" } };
  const paths: Record<string, unknown> = {};
  const tags: { name: string; description: string }[] = [];
  for (const endpoint of endpoints) {
    const { app } = endpointIdentity(endpoint.id);
    const priced = `$${endpoint.pricePerSecond} per second of video. Engine \`${endpoint.engine.name}\`: ${endpoint.engine.description}.`;
    tags.push({ name: endpoint.id, description: priced });
    const tagged = { tags: [endpoint.id] };
    const input = {
      required: true,
      content: { "application/json": { schema: ref(VideoInputSchema.meta()?.id as string) } },
    };
    const output = ref(VideoOutputSchema.meta()?.id as string);
    const invalid = json(ref("HTTPValidationError"), "Invalid input: `detail` names each field.");
    paths[`/queue/${endpoint.id}`] = {
      post: {
        ...tagged,
        summary: `Submit a request to ${endpoint.id}`,
        description: priced,
        parameters: [
          { name: "fal_webhook", in: "query", schema: { type: "string", format: "uri" } },
          { name: "x-fal-queue-priority", in: "header", schema: { type: "string", enum: ["normal", "low"] } },
          { name: "x-fal-request-timeout", in: "header", schema: { type: "number", exclusiveMinimum: 0 } },
        ],
        requestBody: input,
        responses: { "200": json(ref("QueueStatus"), "Queued."), "422": invalid },
      },
    };
    paths[`/run/${endpoint.id}`] = {
      post: {
        ...tagged,
        summary: `Run ${endpoint.id} and wait for the result`,
        description: priced,
        requestBody: input,
        responses: { "200": json(output, "The result."), "422": invalid },
      },
    };
    const base = `/queue/${app}/requests/{request_id}`;
    paths[`${base}/status`] = {
      get: {
        ...tagged,
        summary: "Status of a request",
        parameters: [requestId, { name: "logs", in: "query", schema: { type: "string", enum: ["0", "1"] } }],
        responses: {
          "200": json(ref("QueueStatus"), "Completed."),
          "202": json(ref("QueueStatus"), "Queued or running."),
        },
      },
    };
    paths[`${base}/status/stream`] = {
      get: {
        ...tagged,
        summary: "Status events (server-sent events) until the request completes",
        parameters: [requestId, { name: "logs", in: "query", schema: { type: "string", enum: ["0", "1"] } }],
        responses: { "200": { description: "`text/event-stream` of QueueStatus objects." } },
      },
    };
    paths[base] = {
      get: {
        ...tagged,
        summary: "Result of a request",
        parameters: [requestId],
        responses: {
          "200": json(output, "The result."),
          "400": { description: "Request is still in progress." },
        },
      },
    };
    paths[`${base}/cancel`] = {
      put: {
        ...tagged,
        summary: "Cancel a request",
        parameters: [requestId],
        responses: {
          "202": { description: "CANCELLATION_REQUESTED" },
          "400": { description: "ALREADY_COMPLETED" },
          "404": { description: "NOT_FOUND" },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Shotline",
      version: "0.1.0",
      description: "Self-hosted text-to-video service speaking fal's queue protocol.",
    },
    servers: [{ url: serverUrl }],
    tags,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "Key <key_id>:<key_secret>",
        },
      },
    },
    paths,
  };
}
