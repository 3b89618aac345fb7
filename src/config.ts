import path from "node:path";
import { z } from "zod";

/**
 * Every setting Shotline reads, defined once: its environment variable, default and meaning.
 * Only this module reads the environment; the entry points pass the result down.
 */

const port = z.coerce.number().int().min(0).max(65535);
const positive = z.coerce.number().positive();
const onOff = z.enum(["on", "off"]);

export const SETTINGS = {
  PORT: { schema: port, default: "8000", doc: "TCP port the server listens on." },
  HOST: { schema: z.string().min(1), default: "127.0.0.1", doc: "Address the server binds to." },
  SHOTLINE_DATA_DIR: {
    schema: z.string().min(1),
    default: "./.shotline",
    doc: "Where the SQLite database and the output files live.",
  },
  SHOTLINE_ENGINE: {
    schema: z.enum(["previz", "fal", "comfyui"]),
    default: "previz",
    doc: "Engine behind `fal-ai/kling-video/v3/turbo/pro/text-to-video`: `previz` (procedural preview on the CPU, not a neural model), `fal` (the real model on fal) or `comfyui` (open-weight models on your ComfyUI server). `shotline/previz/text-to-video` always runs previz, free.",
  },
  SHOTLINE_PRICE_PER_SECOND: {
    schema: z.coerce.number().min(0),
    default: "0.14",
    doc: "Price in USD of one second of output video.",
  },
  SHOTLINE_PUBLIC_URL: {
    schema: z.url().optional(),
    default: undefined,
    doc: "Origin used in returned URLs when set; otherwise taken from each request (and `X-Forwarded-*`).",
  },
  SHOTLINE_WORKER: {
    schema: onOff,
    default: "on",
    doc: "`off` runs the API only: requests wait for a worker process.",
  },
  SHOTLINE_CONCURRENCY: {
    schema: z.coerce.number().int().min(1).max(64),
    default: "1",
    doc: "Requests one worker renders at the same time.",
  },
  SHOTLINE_LEASE_SECONDS: {
    schema: positive,
    default: "30",
    doc: "How long a worker's claim on a request lasts without a heartbeat before another worker may take it.",
  },
  SHOTLINE_MAX_ATTEMPTS: {
    schema: z.coerce.number().int().min(1),
    default: "3",
    doc: "Attempts (claims) of a request before it ends with an error.",
  },
  SHOTLINE_SHUTDOWN_GRACE_SECONDS: {
    schema: z.coerce.number().min(0),
    default: "10",
    doc: "On SIGTERM, how long a running request may finish before it is given back to the queue.",
  },
  SHOTLINE_KEEPALIVE_SECONDS: {
    schema: positive,
    default: "15",
    doc: "Interval of the `:` keep-alive comments on status streams.",
  },
  SHOTLINE_FFMPEG: {
    schema: z.string().min(1).optional(),
    default: undefined,
    doc: "Path of an ffmpeg binary to use instead of the one bundled by `@ffmpeg-installer/ffmpeg`.",
  },
  SHOTLINE_FFPROBE: {
    schema: z.string().min(1).optional(),
    default: undefined,
    doc: "Path of an ffprobe binary to use instead of the one bundled by `@ffprobe-installer/ffprobe`.",
  },
  SHOTLINE_AUTH: {
    schema: z.enum(["auto", "required", "off"]),
    default: "auto",
    doc: "`auto`: no key needed while the server listens on a loopback address, keys required on any other; `required`; `off`.",
  },
  SHOTLINE_RETENTION_SECONDS: {
    schema: z.coerce.number().int().positive(),
    default: "604800",
    doc: "How long output files are kept after completion (a request may ask for another lifetime with `x-fal-object-lifecycle-preference`).",
  },
  SHOTLINE_RETENTION_SWEEP_SECONDS: {
    schema: positive,
    default: "60",
    doc: "How often expired output files are looked for and deleted.",
  },
  SHOTLINE_METRICS: {
    schema: onOff,
    default: "on",
    doc: "`off` removes the Prometheus `/metrics` route (it shows queue depth and route counts).",
  },
  SHOTLINE_RATE_LIMIT_SUBMITS: {
    schema: z.coerce.number().int().min(0),
    default: "120",
    doc: "Submits (queue and sync) per minute per API key (per address without a key); 0 turns the limit off.",
  },
  SHOTLINE_RATE_LIMIT_READS: {
    schema: z.coerce.number().int().min(0),
    default: "6000",
    doc: "Other API calls (status, result, cancel, usage) per minute per API key; 0 turns the limit off.",
  },
  SHOTLINE_WEBHOOK_TIMEOUT_SECONDS: {
    schema: positive,
    default: "15",
    doc: "How long one webhook delivery may take before it counts as failed.",
  },
  SHOTLINE_WEBHOOK_MAX_ATTEMPTS: {
    schema: z.coerce.number().int().min(1),
    default: "10",
    doc: "Delivery attempts of a webhook before it is given up.",
  },
  SHOTLINE_WEBHOOK_BACKOFF_SECONDS: {
    schema: positive,
    default: "15",
    doc: "First delay between webhook attempts, doubled after each (10 attempts with 15 s span about 2 h).",
  },
  SHOTLINE_WEBHOOK_ALLOW_LINK_LOCAL: {
    schema: onOff,
    default: "off",
    doc: "`on` lets webhooks reach link-local addresses (169.254.0.0/16, fe80::/10: cloud metadata services).",
  },
  SHOTLINE_WEBHOOK_ALLOW: {
    schema: z.string(),
    default: "",
    doc: "Comma-separated hosts, `*.domain` patterns, IPs or CIDRs webhooks may reach; empty allows any (but the deny list and link-local).",
  },
  SHOTLINE_WEBHOOK_DENY: {
    schema: z.string(),
    default: "",
    doc: "Comma-separated hosts, `*.domain` patterns, IPs or CIDRs webhooks may never reach.",
  },
  SHOTLINE_FAL_KEY: {
    schema: z.string().min(1).optional(),
    default: undefined,
    doc: "The operator's fal key, used by the `fal` engine to call the real model.",
  },
  SHOTLINE_FAL_URL: {
    schema: z.url(),
    default: "https://queue.fal.run",
    doc: "Queue origin the `fal` engine submits to.",
  },
  SHOTLINE_COMFYUI_URL: {
    schema: z.url(),
    default: "http://127.0.0.1:8188",
    doc: "ComfyUI server the `comfyui` engine drives.",
  },
  SHOTLINE_COMFYUI_WORKFLOW: {
    schema: z.string().min(1),
    default: "wan2.2-ti2v-5b",
    doc: "Workflow of the `comfyui` engine: a shipped template name (`wan2.2-ti2v-5b`, `ltx-video`) or the path of an API-format workflow file with placeholders.",
  },
  SHOTLINE_AUDIO: {
    schema: onOff,
    default: "on",
    doc: "`off` leaves previz videos silent (no ambient bed, dialogue or music track).",
  },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    default: undefined,
    doc: "PostgreSQL database shared by API and worker processes; unset: the SQLite file in the data dir.",
  },
  SHOTLINE_S3_BUCKET: {
    schema: z.string().min(1).optional(),
    default: undefined,
    doc: "S3 bucket for output files; unset: the local `files` directory in the data dir.",
  },
  SHOTLINE_S3_ENDPOINT: {
    schema: z.url().optional(),
    default: undefined,
    doc: "Endpoint of an S3-compatible service (MinIO, R2, …); unset: AWS.",
  },
  SHOTLINE_S3_REGION: { schema: z.string().min(1), default: "us-east-1", doc: "Region of the S3 bucket." },
  SHOTLINE_S3_ACCESS_KEY_ID: {
    schema: z.string().min(1).optional(),
    default: undefined,
    doc: "S3 access key id; unset: the AWS SDK's default credential chain.",
  },
  SHOTLINE_S3_SECRET_ACCESS_KEY: {
    schema: z.string().min(1).optional(),
    default: undefined,
    doc: "S3 secret access key (with `SHOTLINE_S3_ACCESS_KEY_ID`).",
  },
  SHOTLINE_S3_FORCE_PATH_STYLE: {
    schema: onOff,
    default: "off",
    doc: "`on` addresses the bucket as `endpoint/bucket/key` (most self-hosted S3 servers need it).",
  },
  SHOTLINE_FILE_URLS: {
    schema: z.enum(["proxied", "presigned"]),
    default: "proxied",
    doc: "With S3: `proxied` serves files through the API's `/files` route; `presigned` returns presigned S3 URLs.",
  },
  SHOTLINE_PRESIGN_SECONDS: {
    schema: z.coerce.number().int().min(1).max(604800),
    default: "3600",
    doc: "Lifetime of a presigned file URL (each status or result read signs a fresh one).",
  },
  SHOTLINE_LOG_LEVEL: {
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    default: "info",
    doc: "Level of the server's own JSON log lines.",
  },
} as const;

type Settings = typeof SETTINGS;
type Values = { [K in keyof Settings]: z.output<Settings[K]["schema"]> };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databasePath: string;
  filesDir: string;
  engine: Values["SHOTLINE_ENGINE"];
  pricePerSecond: number;
  publicUrl: string | undefined;
  worker: boolean;
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  shutdownGraceMs: number;
  keepAliveMs: number;
  ffmpegPath: string | undefined;
  ffprobePath: string | undefined;
  logLevel: Values["SHOTLINE_LOG_LEVEL"];
  /** `auto` resolved against the bind address. */
  auth: "required" | "optional" | "off";
  retentionSeconds: number;
  retentionSweepMs: number;
  metrics: boolean;
  rateLimitSubmitsPerMinute: number;
  rateLimitReadsPerMinute: number;
  fal: { key: string | undefined; url: string };
  comfyui: { url: string; workflow: string };
  audio: boolean;
  /** A postgres:// URL; undefined: SQLite at `databasePath`. */
  databaseUrl: string | undefined;
  /** Undefined: local files at `filesDir`. */
  s3:
    | {
        bucket: string;
        endpoint: string | undefined;
        region: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
      }
    | undefined;
  fileUrls: "proxied" | "presigned";
  presignSeconds: number;
  webhooks: {
    timeoutMs: number;
    maxAttempts: number;
    backoffBaseMs: number;
    allowLinkLocal: boolean;
    allow: string[];
    deny: string[];
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads the configuration from an environment (usually `process.env`) and named overrides (CLI flags). */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<Record<keyof Settings, string>> = {},
): Config {
  const read = <K extends keyof Settings>(name: K): Values[K] => {
    const setting = SETTINGS[name];
    const raw = overrides[name] ?? (env[name] === "" ? undefined : env[name]) ?? setting.default;
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(`${name}=${String(raw)}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    }
    return parsed.data as Values[K];
  };
  const dataDir = path.resolve(read("SHOTLINE_DATA_DIR"));
  const host = read("HOST");
  const auth = read("SHOTLINE_AUTH");
  const publicUrl = read("SHOTLINE_PUBLIC_URL");
  const s3Bucket = read("SHOTLINE_S3_BUCKET");
  return {
    port: read("PORT"),
    host,
    dataDir,
    databasePath: path.join(dataDir, "shotline.db"),
    filesDir: path.join(dataDir, "files"),
    engine: read("SHOTLINE_ENGINE"),
    pricePerSecond: read("SHOTLINE_PRICE_PER_SECOND"),
    publicUrl: publicUrl?.replace(/\/+$/, ""),
    worker: read("SHOTLINE_WORKER") === "on",
    concurrency: read("SHOTLINE_CONCURRENCY"),
    leaseMs: read("SHOTLINE_LEASE_SECONDS") * 1000,
    maxAttempts: read("SHOTLINE_MAX_ATTEMPTS"),
    shutdownGraceMs: read("SHOTLINE_SHUTDOWN_GRACE_SECONDS") * 1000,
    keepAliveMs: read("SHOTLINE_KEEPALIVE_SECONDS") * 1000,
    ffmpegPath: read("SHOTLINE_FFMPEG"),
    ffprobePath: read("SHOTLINE_FFPROBE"),
    logLevel: read("SHOTLINE_LOG_LEVEL"),
    auth: auth === "auto" ? (isLoopback(host) ? "optional" : "required") : auth,
    retentionSeconds: read("SHOTLINE_RETENTION_SECONDS"),
    retentionSweepMs: read("SHOTLINE_RETENTION_SWEEP_SECONDS") * 1000,
    metrics: read("SHOTLINE_METRICS") === "on",
    rateLimitSubmitsPerMinute: read("SHOTLINE_RATE_LIMIT_SUBMITS"),
    rateLimitReadsPerMinute: read("SHOTLINE_RATE_LIMIT_READS"),
    fal: { key: read("SHOTLINE_FAL_KEY"), url: read("SHOTLINE_FAL_URL").replace(/\/+$/, "") },
    comfyui: {
      url: read("SHOTLINE_COMFYUI_URL").replace(/\/+$/, ""),
      workflow: read("SHOTLINE_COMFYUI_WORKFLOW"),
    },
    audio: read("SHOTLINE_AUDIO") === "on",
    databaseUrl: read("DATABASE_URL"),
    s3: s3Bucket
      ? {
          bucket: s3Bucket,
          endpoint: read("SHOTLINE_S3_ENDPOINT"),
          region: read("SHOTLINE_S3_REGION"),
          accessKeyId: read("SHOTLINE_S3_ACCESS_KEY_ID"),
          secretAccessKey: read("SHOTLINE_S3_SECRET_ACCESS_KEY"),
          forcePathStyle: read("SHOTLINE_S3_FORCE_PATH_STYLE") === "on",
        }
      : undefined,
    fileUrls: read("SHOTLINE_FILE_URLS"),
    presignSeconds: read("SHOTLINE_PRESIGN_SECONDS"),
    webhooks: {
      timeoutMs: read("SHOTLINE_WEBHOOK_TIMEOUT_SECONDS") * 1000,
      maxAttempts: read("SHOTLINE_WEBHOOK_MAX_ATTEMPTS"),
      backoffBaseMs: read("SHOTLINE_WEBHOOK_BACKOFF_SECONDS") * 1000,
      allowLinkLocal: read("SHOTLINE_WEBHOOK_ALLOW_LINK_LOCAL") === "on",
      allow: list(read("SHOTLINE_WEBHOOK_ALLOW")),
      deny: list(read("SHOTLINE_WEBHOOK_DENY")),
    },
  };
}

const list = (value: string) =>
  value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");

/** Whether an address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
