import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";

/**
 * `GET /jwks.json`, mounted at `/.well-known`: the public keys that webhook receivers verify
 * Shotline's signatures with, without auth. Receivers cache the set; a short max-age lets a
 * rotated key reach them within minutes.
 *
 * @example
 * app.route("/.well-known", jwksRoutes(() => storeJwks(store)));
 */
export function jwksRoutes(getJwks: () => Promise<object>) {
  const app = new Hono<AppEnv>();
  app.get("/jwks.json", async (c) =>
    c.json(await getJwks(), 200, { "cache-control": "public, max-age=300" }),
  );
  return app;
}
