import { createCanvas } from "@napi-rs/canvas";
import { openSync, writeSync, closeSync } from "node:fs";
import { interpretPrompt } from "../src/engines/previz/index.ts";
import { createShotRenderer } from "../src/engines/previz/render.ts";
const [W, H] = [1920, 1080];
const canvas = createCanvas(W, H);
const ctx = canvas.getContext("2d", { alpha: false });
const r = createShotRenderer(ctx, interpretPrompt("A jazz saxophonist sways gently into the note, smoke drifting through the warm light. The camera eases in slowly. moody."), { width: W, height: H, seed: 1, seconds: 5 });
const fd = openSync("/tmp/pv/frames.rgba", "w");
for (let f = 0; f < 48; f++) { r.drawFrame(f / 119, f / 24); writeSync(fd, canvas.data()); }
closeSync(fd);
