import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { KLING_V3_TURBO_PRO_T2V } from "../../jobs/endpoints.ts";
import { UsageError } from "../usage-error.ts";

/**
 * The options of the client verbs (generate, status, result, cancel, usage), each defined once:
 * its flag, environment variable, config-file key, default and meaning. A value comes from the
 * first of flag → environment → config file → default that has one. These are the settings of a
 * caller of a Shotline server; the server's own live in `src/config.ts`.
 */

interface ClientOption {
  flag: `--${string}`;
  env: string;
  fileKey: string;
  default: string | undefined;
  doc: string;
  /** Returns the canonical value, or throws an error saying what is wrong with it. */
  check(value: string): string;
}

export const CLIENT_OPTIONS = {
  url: {
    flag: "--url",
    env: "SHOTLINE_URL",
    fileKey: "url",
    default: "http://127.0.0.1:8000",
    doc: "Origin of the Shotline server.",
    check: (value) => {
      const url = URL.canParse(value) ? new URL(value) : undefined;
      if (url?.protocol !== "http:" && url?.protocol !== "https:") throw new Error("not an http(s) URL");
      return url.href.replace(/\/+$/, "");
    },
  },
  key: {
    flag: "--key",
    env: "FAL_KEY",
    fileKey: "key",
    default: undefined,
    doc: "API key `key_id:secret` (none needed by a server on a loopback address).",
    check: (value) => value,
  },
  endpoint: {
    flag: "--endpoint",
    env: "SHOTLINE_ENDPOINT",
    fileKey: "endpoint",
    default: KLING_V3_TURBO_PRO_T2V,
    doc: "Endpoint id; `shotline/previz/text-to-video` is the free preview.",
    check: (value) => {
      if (!/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*$/.test(value))
        throw new Error("not an endpoint id like owner/app/path");
      return value;
    },
  },
} as const satisfies Record<string, ClientOption>;

export type ClientOptionName = keyof typeof CLIENT_OPTIONS;
export type ClientOptions = { url: string; endpoint: string; key: string | undefined };

/** Where the config file is looked for when neither `--config` nor `SHOTLINE_CONFIG` names one. */
export function defaultConfigPath(env: Record<string, string | undefined>): string {
  const base = nonEmpty(env.XDG_CONFIG_HOME) ?? path.join(os.homedir(), ".config");
  return path.join(base, "shotline", "config.json");
}

/** `parseArgs` options for the flags every client verb takes. */
export const CLIENT_FLAGS = {
  url: { type: "string" },
  key: { type: "string" },
  endpoint: { type: "string" },
  config: { type: "string" },
} as const;

export const CLIENT_OPTIONS_USAGE = `Client options (flag → environment → config file → default):
${Object.values(CLIENT_OPTIONS)
  .map((o) => {
    const flag = `${o.flag} ${o.fileKey.toUpperCase()}`;
    return `  ${flag.padEnd(20)}${o.env.padEnd(19)}${`"${o.fileKey}"`.padEnd(11)}${o.doc.replaceAll("`", "")}`;
  })
  .join("\n")}
  --config FILE       SHOTLINE_CONFIG    the JSON file of those keys (default ~/.config/shotline/config.json)`;

type Env = Record<string, string | undefined>;
export type ClientFlagValues = Partial<Record<ClientOptionName | "config", string | undefined>>;

export interface OptionSources {
  flags: ClientFlagValues;
  env: Env;
  /** The parsed config file (an empty object when there is none) and where it was read. */
  file: { path: string; values: Record<string, unknown> };
}

/**
 * Resolves every client option from its sources; a bad value is a usage error naming where it came from.
 * @example resolveClientOptions({ flags: { url: "http://gpu-box:8000" }, env: process.env, file })
 */
export function resolveClientOptions({ flags, env, file }: OptionSources): ClientOptions {
  const known = new Set<string>(Object.values(CLIENT_OPTIONS).map((o) => o.fileKey));
  const unknown = Object.keys(file.values).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new UsageError(`${file.path}: unknown key "${unknown[0]}" (known: ${[...known].join(", ")})`);
  }
  const resolve = (name: ClientOptionName): string | undefined => {
    const option: ClientOption = CLIENT_OPTIONS[name];
    const fromFile = file.values[option.fileKey];
    if (fromFile !== undefined && typeof fromFile !== "string") {
      throw new UsageError(`${file.path}: "${option.fileKey}" must be a string`);
    }
    const sources: [string, string | undefined][] = [
      [option.flag, nonEmpty(flags[name])],
      [option.env, nonEmpty(env[option.env])],
      [`${file.path} "${option.fileKey}"`, nonEmpty(fromFile)],
      ["default", option.default],
    ];
    const found = sources.find(([, value]) => value !== undefined);
    if (!found) return undefined;
    const [source, value] = found as [string, string];
    try {
      return option.check(value);
    } catch (problem) {
      throw new UsageError(`${source} ${JSON.stringify(value)}: ${(problem as Error).message}`);
    }
  };
  return { url: resolve("url")!, endpoint: resolve("endpoint")!, key: resolve("key") };
}

/** Finds and reads the config file (absent is fine at the default path only), then resolves. */
export async function loadClientOptions(flags: ClientFlagValues, env: Env): Promise<ClientOptions> {
  const named = nonEmpty(flags.config) ?? nonEmpty(env.SHOTLINE_CONFIG);
  const filePath = path.resolve(named ?? defaultConfigPath(env));
  let values: Record<string, unknown> = {};
  let text: string | undefined;
  try {
    text = await readFile(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || named !== undefined) {
      throw new UsageError(`cannot read the config file ${filePath}: ${(error as Error).message}`);
    }
  }
  if (text !== undefined) {
    try {
      values = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`${filePath} is not JSON: ${(error as Error).message}`);
    }
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
      throw new UsageError(`${filePath} must hold a JSON object such as {"url": "…", "key": "…"}`);
    }
  }
  return resolveClientOptions({ flags, env, file: { path: filePath, values } });
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;
