import type { Logger } from "pino";
import type { FileStorage } from "../storage/port.ts";
import type { RequestStore } from "../store/port.ts";
import { HttpError } from "./http-error.ts";

/** An endpoint as the HTTP layer sees it: its id, its price and the engine that serves it. */
export interface ServedEndpoint {
  id: string;
  pricePerSecond: number;
  engine: { name: string; description: string };
}

export interface AppOptions {
  store: RequestStore;
  storage: FileStorage;
  endpoints: ServedEndpoint[];
  logger: Logger;
  /** Origin for returned URLs; when absent each request's own origin is used. */
  publicUrl?: string | undefined;
  keepAliveMs?: number;
  maxBodyBytes?: number;
}

export interface AppDeps extends Required<Omit<AppOptions, "publicUrl">> {
  publicUrl: string | undefined;
  findEndpoint(id: string): ServedEndpoint;
}

/** Options compiled once: defaults filled in, lookups prepared. */
export function makeAppDeps(options: AppOptions): AppDeps {
  const byId = new Map(options.endpoints.map((endpoint) => [endpoint.id, endpoint]));
  return {
    keepAliveMs: 15_000,
    maxBodyBytes: 1024 * 1024,
    ...options,
    publicUrl: options.publicUrl,
    findEndpoint(id) {
      const endpoint = byId.get(id);
      if (!endpoint) throw new HttpError(404, { detail: `Endpoint '${id}' is not served here` });
      return endpoint;
    },
  };
}
