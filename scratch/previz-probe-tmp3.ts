import { createCanvas } from "@napi-rs/canvas";
import { writeFileSync } from "node:fs";
import { interpretPrompt, describeScenePlan } from "../src/engines/previz/index.ts";
import { createShotRenderer } from "../src/engines/previz/render.ts";
const prompts = [
  "A jazz saxophonist sways gently into the note, cheeks pressing, sweat glistening, smoke drifting through the warm light. The camera eases in slowly. Photorealistic, soulful, moody.",
  "A man walks down a city street at night in the rain, noir, black and white",
  "A sunny desert at noon, the camera pans right",
  "A misty forest at dawn, a woman stands among the trees",
  "A beach at sunset, waves rolling in, camera pulls back",
  "An astronaut floats in outer space near a planet",
  "A cozy living room at night, snow falling outside, warm light",
  "Green hills in the countryside, a child runs, fast pan left",
  "Neon cyberpunk city street at night, a dancer dances",
];
const [W, H] = [Number(process.argv[2] ?? 960), Number(process.argv[3] ?? 540)];
const canvas = createCanvas(W, H);
const ctx = canvas.getContext("2d", { alpha: false });
prompts.forEach((p, i) => {
  const scene = interpretPrompt(p);
  console.log(describeScenePlan(scene, { index: i, count: prompts.length }));
  const r = createShotRenderer(ctx, scene, { width: W, height: H, seed: 1234 + i, seconds: 5 });
  r.drawFrame(0.5, 2.5);
  writeFileSync(`/tmp/pv/shot${i}.png`, canvas.toBuffer("image/png"));
});
