import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrevizEngine } from "../src/engines/previz/index.ts";
import { makeGenerationPlan } from "../src/jobs/plan.ts";
import { defaultMediaTools } from "../src/media/index.ts";
import { readFileSync } from "node:fs";
function cpu() { const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ").map(Number); return (f[11]! + f[12]! + f[13]! + f[14]!) / 100; }
const tools = defaultMediaTools();
const engine = createPrevizEngine({ ffmpegPath: tools.ffmpegPath });
const prompts = [
  "A jazz saxophonist sways gently into the note, cheeks pressing, sweat glistening, smoke drifting through the warm light. The camera eases in slowly. Photorealistic, soulful, moody.",
  "A man walks down a city street at night in the rain, the camera pans left",
  "A misty forest at dawn, a woman stands among the trees, camera pushes in",
];
const cases = (process.argv[2] ?? "16:9/5,16:9/3,9:16/3,1:1/3").split(",").map((c) => c.split("/") as ["16:9" | "9:16" | "1:1", string]);
for (const [aspect_ratio, duration] of cases) {
  for (const prompt of prompts) {
    const plan = makeGenerationPlan({ prompt, aspect_ratio, duration });
    const workDir = mkdtempSync(join(tmpdir(), "previz-bench-"));
    const t = performance.now(); const c0 = cpu();
    await engine.generate(plan, { signal: new AbortController().signal, log: () => {}, progress: () => {}, workDir });
    console.log(aspect_ratio, duration + "s", ((performance.now() - t) / 1000).toFixed(2) + "s wall", (cpu() - c0).toFixed(2) + "s cpu", prompt.slice(0, 30));
    rmSync(workDir, { recursive: true });
  }
}
