import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { validateInput } from "../contract/validation.ts";
import {
  createPrevizEngine,
  lipSync,
  PREVIZ_DESCRIPTION,
  renderContactSheet,
  type MouthTrack,
} from "../engines/previz/index.ts";
import { makeGenerationPlan } from "../jobs/plan.ts";
import { defaultMediaTools } from "../media/tools.ts";

/**
 * `npm run previz -- "prompt" --sheet out.png`: shows what the embedded previz engine (a
 * procedural renderer, not a neural model) would draw for a request, as a PNG grid of frames
 * (one a half second) and optionally as the MP4 itself. The request is validated by the same
 * contract as the API and planned the same way, so the sheet is exactly what the service renders.
 *
 *   npm run previz -- "A woman walks in the rain at night, slow push-in" --sheet sheet.png
 *   npm run previz -- --shot "A city at dawn" --shot-duration 2 --shot "A forest, pan left" --shot-duration 3 --sheet board.png
 *   npm run previz -- "A desert at noon" --aspect 9:16 --duration 3 --sheet tall.png --video tall.mp4
 *   npm run previz -- 'A woman in a café whispers "we are late"' --video talk.mp4 --debug-mouth mouth.json
 *
 * Videos have a sound track (ambient bed, music, dialogue) unless `--silent`; dialogue is spoken by
 * espeak-ng when it is installed, else by the babble voice (`--babble` forces it).
 */

const USAGE = `usage: npm run previz -- ["prompt"] [--shot "text" [--shot-duration N]]... [--aspect 16:9|9:16|1:1] [--duration N] [--sheet out.png] [--video out.mp4] [--silent] [--babble] [--debug-mouth mouth.json]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values, positionals, tokens } = parseArgs({
  allowPositionals: true,
  tokens: true,
  options: {
    sheet: { type: "string" },
    video: { type: "string" },
    aspect: { type: "string" },
    duration: { type: "string" },
    shot: { type: "string", multiple: true },
    "shot-duration": { type: "string", multiple: true },
    every: { type: "string" },
    silent: { type: "boolean", default: false },
    babble: { type: "boolean", default: false },
    "debug-mouth": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// Each --shot-duration belongs to the --shot before it, so the order of the flags matters.
const shots: Array<{ prompt: string; duration?: string }> = [];
for (const token of tokens) {
  if (token.kind !== "option") continue;
  if (token.name === "shot") shots.push({ prompt: token.value ?? "" });
  if (token.name === "shot-duration") {
    const last = shots.at(-1);
    if (last === undefined) fail("--shot-duration must follow a --shot");
    last.duration = token.value ?? "";
  }
}
if (positionals.length > 1) fail("give one prompt (quote it), or several --shot");
if (!values.sheet && !values.video && !values["debug-mouth"])
  fail("nothing to do: give --sheet out.png, --video out.mp4 and/or --debug-mouth mouth.json");

const body: Record<string, unknown> = {
  ...(positionals[0] !== undefined ? { prompt: positionals[0] } : {}),
  ...(shots.length > 0 ? { multi_prompt: shots } : {}),
  ...(values.aspect !== undefined ? { aspect_ratio: values.aspect } : {}),
  ...(values.duration !== undefined ? { duration: values.duration } : {}),
};
const parsed = validateInput(body);
if (!parsed.ok)
  fail(parsed.detail.map((d) => `invalid ${d.loc.slice(1).join(".") || "input"}: ${d.msg}`).join("\n"));
const plan = makeGenerationPlan(parsed.input);

process.stdout.write(`previz: ${PREVIZ_DESCRIPTION}\n`);
const speech = values.babble ? "babble" : "auto";
// Lip sync comes from the voice: from the render when there is one, else synthesised alone.
let mouths: MouthTrack[] | undefined;
if (values.video) {
  const engine = createPrevizEngine({
    ffmpegPath: defaultMediaTools().ffmpegPath,
    audio: !values.silent,
    speech,
    onMouths: (tracks) => (mouths = tracks),
  });
  const workDir = await mkdtemp(join(tmpdir(), "shotline-previz-"));
  try {
    const started = performance.now();
    const { path } = await engine.generate(plan, {
      signal: new AbortController().signal,
      workDir,
      log: (line) => (values.sheet ? undefined : process.stdout.write(`${line}\n`)),
      progress: () => {},
    });
    await copyFile(path, resolve(values.video));
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`wrote ${values.video}: ${plan.totalSeconds} s in ${seconds.toFixed(1)} s\n`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
if (!values.silent && (values.sheet || values["debug-mouth"])) mouths ??= await lipSync(plan, { speech });
if (values["debug-mouth"]) {
  await writeFile(
    resolve(values["debug-mouth"]),
    `${JSON.stringify({ fps: plan.fps, tracks: mouths ?? [] }, null, 1)}\n`,
  );
  process.stdout.write(`wrote ${values["debug-mouth"]}: ${(mouths ?? []).length} mouth track(s)\n`);
}
if (values.sheet) {
  const every = values.every === undefined ? undefined : Number(values.every);
  if (every !== undefined && !(every > 0)) fail("--every must be a positive number of seconds");
  const sheet = renderContactSheet(plan, { ...(every === undefined ? {} : { every }), mouths: mouths ?? [] });
  for (const line of sheet.lines.slice(1)) process.stdout.write(`${line}\n`);
  await writeFile(resolve(values.sheet), sheet.png);
  process.stdout.write(`wrote ${values.sheet}: ${sheet.frames.length} frames\n`);
}
