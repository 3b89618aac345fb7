#!/usr/bin/env node
// Loads the TypeScript CLI through tsx in this same process, so `npx shotline …` needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
