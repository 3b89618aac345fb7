import { createCanvas } from "@napi-rs/canvas";
import { interpretPrompt } from "../src/engines/previz/index.ts";
import { createShotRenderer } from "../src/engines/previz/render.ts";
const prompts = [
  "A jazz saxophonist sways gently into the note, smoke drifting through the warm light. The camera eases in slowly. moody.",
  "A man walks down a city street at night in the rain, the camera pans left",
  "A misty forest at dawn, a woman stands among the trees, camera pushes in",
  "A sunny desert at noon",
  "A snowy beach at sunset, noir",
  "empty",
];
const [W, H] = [Number(process.argv[2] ?? 1920), Number(process.argv[3] ?? 1080)];
const canvas = createCanvas(W, H);
const ctx = canvas.getContext("2d", { alpha: false });
for (const p of prompts) {
  const r = createShotRenderer(ctx, interpretPrompt(p), { width: W, height: H, seed: 1, seconds: 5 });
  const c0 = process.cpuUsage();
  for (let f = 0; f < 48; f++) { r.drawFrame(f / 47, f / 24); canvas.data(); }
  const c = process.cpuUsage(c0);
  console.log(((c.user + c.system) / 1000 / 48).toFixed(1), "ms cpu/frame", p.slice(0, 40));
}
