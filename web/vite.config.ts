import { defineConfig } from "vite";
import { MAX_STORYBOARD_SECONDS, PROMPT_ADVISED_CHARS } from "../src/contract/input.ts";

/**
 * The playground's bundle, served by the server at `/` (`src/server/routes/playground.ts`).
 * Limits JSON Schema can express (enums, lengths, shot counts) are read from `/openapi.json` at
 * run time; the two it cannot (the advised prompt length, the storyboard's total) come from
 * the contract module at build time.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  define: {
    __CONTRACT_LIMITS__: JSON.stringify({
      promptAdvisedChars: PROMPT_ADVISED_CHARS,
      maxStoryboardSeconds: MAX_STORYBOARD_SECONDS,
    }),
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets" },
  logLevel: "warn",
});
