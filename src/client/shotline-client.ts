import { createFalClient, withMiddleware, type FalClient, type RequestMiddleware } from "@fal-ai/client";

/**
 * `@fal-ai/client` configured to talk to a Shotline server instead of fal. The client has no
 * base-URL option and builds every URL on fal's hosts; a request middleware moves those URLs onto
 * the Shotline origin (`https://queue.fal.run/…` → `{url}/queue/…`, `https://fal.run/…` →
 * `{url}/run/…`), so calls go straight to Shotline's own routes, without the `/fal/proxy` hop.
 */

type FalConfig = NonNullable<Parameters<typeof createFalClient>[0]>;

export interface ShotlineClientOptions extends Omit<FalConfig, "credentials" | "proxyUrl"> {
  /** Origin of the Shotline server, e.g. `http://127.0.0.1:8000` (a path prefix is kept). */
  url: string;
  /** `key_id:secret`. Left out, the client reads `FAL_KEY` as fal's client always does. */
  key?: string | undefined;
}

/** Where each of fal's hosts lives on a Shotline origin. */
const MOUNTS: Record<string, string> = { "queue.fal.run": "/queue", "fal.run": "/run" };

/**
 * @example
 * const shotline = createShotlineClient({ url: "http://127.0.0.1:8000", key: process.env.FAL_KEY });
 * const { data, requestId } = await shotline.subscribe("fal-ai/kling-video/v3/turbo/pro/text-to-video", {
 *   input: { prompt: "A lighthouse at dusk, the camera pulls back", duration: "5" },
 * });
 */
export function createShotlineClient({
  url,
  key,
  requestMiddleware,
  ...config
}: ShotlineClientOptions): FalClient {
  const origin = new URL(url).href.replace(/\/+$/, "");
  const toShotline: RequestMiddleware = async function toShotline(request) {
    if (request.url.startsWith(`${origin}/`)) return request;
    const target = new URL(request.url);
    const mount = target.protocol === "https:" ? MOUNTS[target.hostname] : undefined;
    // Anything else (fal's REST API, storage uploads) is not served by Shotline; failing here
    // also keeps the key from being sent to a host other than the one configured.
    if (!mount) throw new Error(`Shotline serves fal's queue and run APIs only, not ${target.origin}`);
    return { ...request, url: `${origin}${mount}${target.pathname}${target.search}` };
  };
  return createFalClient({
    ...config,
    ...(key !== undefined && { credentials: key }),
    requestMiddleware: requestMiddleware ? withMiddleware(requestMiddleware, toShotline) : toShotline,
  });
}
