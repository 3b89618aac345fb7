import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";

/** Where `npm run build` (`vite build web`) writes the playground's bundle. */
export const PLAYGROUND_BUNDLE_DIR = path.resolve(import.meta.dirname, "../../../web/dist");

const NOT_BUILT = `The playground is not built.

Build it with \`npm run build\` (\`npm start\` builds it before serving), then reload this page.
The API works without it.
`;

/**
 * The playground page: `index.html` at `/`, revalidated on every load so a new build shows at
 * once, and its content-hashed files under `/assets/`, cached for a year. Without a bundle,
 * `/` says how to build one.
 */
export function playgroundRoutes(bundleDir = PLAYGROUND_BUNDLE_DIR) {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const html = await readFile(path.join(bundleDir, "index.html"), "utf8").catch(() => undefined);
    if (html === undefined) return c.text(NOT_BUILT, 404, { "cache-control": "no-store" });
    return c.html(html, 200, { "cache-control": "no-cache" });
  });

  let assets: MiddlewareHandler<AppEnv> | undefined;
  app.get("/assets/*", async (c, next) => {
    // Made once the bundle exists: serveStatic complains about a missing root when it is made.
    if (!assets && !existsSync(bundleDir)) return next();
    assets ??= serveStatic<AppEnv>({ root: bundleDir });
    const found = await assets(c, next);
    // Not a file of the bundle: serveStatic handed over to the next handlers, which answered.
    if (!(found instanceof Response)) return c.res;
    // Names carry a hash of the content: a file found never changes (a 404 may stop being one).
    found.headers.set("cache-control", "public, max-age=31536000, immutable");
    return found;
  });

  return app;
}
