import type { FalClient } from "@fal-ai/client";
import { createShotlineClient } from "../../client/shotline-client.ts";
import { isUnreachable } from "./exit-codes.ts";
import type { ClientOptions } from "./options.ts";

/**
 * The fal client for the server the options name. fal's client retries a server it cannot reach
 * (for half a minute when polling a status); each failed attempt is said on stderr, so that a
 * wrong URL does not look like a hang.
 */
export function connect({ url, key }: ClientOptions): FalClient {
  const fetchSayingFailures: typeof fetch = async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      if (isUnreachable(error) && !init?.signal?.aborted) {
        process.stderr.write(`shotline: cannot reach ${url} (${error.cause.message}); retrying…\n`);
      }
      throw error;
    }
  };
  return createShotlineClient({ url, key, fetch: fetchSayingFailures });
}
