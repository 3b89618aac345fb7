/**
 * Previz render benchmark: the embedded engine (a procedural renderer, not a neural model) drawing
 * and encoding a clip end to end, against encoding the very same frames alone, in one run.
 *
 * For each case the frames are first drawn into a raw file by the same renderer, and the sound
 * track made; then, in turns, (a) encode-only: the raw file and the sound track piped to
 * `startEncoder` (the engine's ffmpeg, same x264 and AAC settings, the same output file)
 * and (b) end to end: `engine.generate` (drawing thread + ffmpeg), back to back, the one that
 * goes first alternating between rounds. Each round gives a ratio (b ÷ a); the case's ratio is
 * the median of those: this shared machine's speed drifts by tens of percent within a minute,
 * and two runs next to each other see the same drift. The CPU time the whole machine spent during
 * each run (/proc/stat, every process: this bench, ffmpeg, espeak-ng) is counted too, and this
 * process's share and its ffmpeg's (/proc/self/stat): it varies far less than wall time, and says
 * whether end to end is short of cores (its "floor": the busy time spread over every core, ÷
 * encode-only's time, is the least ratio it could reach). Last, a 15 s clip is rendered in a child
 * process while the resident memory of that node process and of its ffmpeg is sampled
 * (/proc/<pid>/status VmRSS, summed, every 20 ms).
 *
 *   npm run bench                      # targets: e2e ≤ 1.15 × encode-only, ≥ 1.2 × real time, ≤ 400 MB
 *   node --import tsx bench/previz-render.ts --rounds 5 --only "6-shot"
 */
import { spawn } from "node:child_process";
import { mkdtemp, open, readdir, readFile, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import type { VideoInput } from "../src/contract/input.ts";
import { createFrameRenderer } from "../src/engines/previz/frames/frame-renderer.ts";
import { createPrevizEngine, findSpeech, PREVIZ_DESCRIPTION } from "../src/engines/previz/index.ts";
import {
  mixSoundtrack,
  soundtrackWav,
  speakStoryboard,
  withMouths,
} from "../src/engines/previz/audio/index.ts";
import { makeStoryboard } from "../src/engines/previz/storyboard.ts";
import { makeGenerationPlan } from "../src/jobs/plan.ts";
import type { GenerationPlan } from "../src/jobs/plan.ts";
import { startEncoder } from "../src/media/encoder.ts";
import { defaultMediaTools } from "../src/media/tools.ts";

const FAL_EXAMPLE =
  "A jazz saxophonist sways gently into the note, cheeks pressing, sweat glistening, smoke drifting through the warm light. The camera eases in slowly. Photorealistic, soulful, moody.";
const STORYBOARD: VideoInput["multi_prompt"] = [
  {
    prompt: "A woman walks down a neon-lit street at night in the rain, the camera pushes in",
    duration: "2",
  },
  { prompt: "Close on her face under a flickering sign, handheld, noir", duration: "2" },
  { prompt: "A train crosses the countryside at dawn, the camera pans right", duration: "2" },
  { prompt: "Two dogs run along the beach at sunset, tracking shot", duration: "2" },
  { prompt: "A diver swims through a coral reef, static camera", duration: "2" },
  { prompt: "Aerial drone shot over snowy mountains at golden hour", duration: "2" },
];
const CASES: Array<{ name: string; input: VideoInput }> = [
  {
    name: "16:9 5 s (fal example, slow push-in)",
    input: { prompt: FAL_EXAMPLE, aspect_ratio: "16:9", duration: "5" },
  },
  {
    name: "9:16 5 s (fal example, slow push-in)",
    input: { prompt: FAL_EXAMPLE, aspect_ratio: "9:16", duration: "5" },
  },
  {
    name: "1:1 5 s (fal example, slow push-in)",
    input: { prompt: FAL_EXAMPLE, aspect_ratio: "1:1", duration: "5" },
  },
  {
    name: "16:9 5 s (still camera: woman walks, city)",
    input: {
      prompt: "A woman walks down a city street at noon, static camera",
      aspect_ratio: "16:9",
      duration: "5",
    },
  },
  {
    name: "16:9 6-shot storyboard, 12 s",
    input: { multi_prompt: STORYBOARD, aspect_ratio: "16:9", duration: "5" },
  },
];
const RSS_CLIP: VideoInput = { prompt: FAL_EXAMPLE, aspect_ratio: "16:9", duration: "15" };

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    /** Only the cases whose name contains this, e.g. `--only 9:16` (the RSS clip still runs). */
    only: { type: "string", default: "" },
    "rss-only": { type: "boolean", default: false },
    "rss-child": { type: "string" },
  },
});
const { ffmpegPath } = defaultMediaTools();
const context = (workDir: string) => ({
  signal: new AbortController().signal,
  workDir,
  log: () => {},
  progress: () => {},
});

if (values["rss-child"] !== undefined) {
  // Child mode: render the 15 s clip once, so that the parent measures a process doing only that.
  const engine = createPrevizEngine({ ffmpegPath });
  await engine.generate(makeGenerationPlan(RSS_CLIP), context(values["rss-child"]));
  process.exit(0);
}

const rounds = Math.max(1, Number(values.rounds));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const engine = createPrevizEngine({ ffmpegPath });
const root = await mkdtemp(join(tmpdir(), "shotline-bench-"));

/**
 * Makes what the engine would: every frame drawn into one raw RGBA file by the engine's own
 * renderer (mouths included) and the sound track as WAV bytes, so that encode-only writes the
 * same file as the engine (video and audio), only from ready-made input.
 */
async function drawRaw(plan: GenerationPlan, path: string): Promise<Uint8Array> {
  const signal = new AbortController().signal;
  const spoken = await speakStoryboard(makeStoryboard(plan), { speech: await findSpeech(), signal });
  const storyboard = withMouths(makeStoryboard(plan), spoken.mouths);
  const wav = soundtrackWav(mixSoundtrack(storyboard, spoken));
  const renderer = createFrameRenderer(storyboard);
  const frame = new Uint8Array(renderer.frameBytes);
  const file = await open(path, "w");
  for (let index = 0; index < plan.totalFrames; index++) {
    renderer.render(index, frame);
    await file.write(frame);
  }
  await file.close();
  return wav;
}

/**
 * Encode-only: the raw frames through the same encoder, as fast as they can be fed: two buffers
 * in turn, the next frame read from the file while the last one is being sent (what the engine's
 * ring does), so the baseline is ffmpeg's own speed and not the file's.
 */
async function encodeOnly(
  plan: GenerationPlan,
  rawPath: string,
  wav: Uint8Array,
  outputPath: string,
): Promise<number> {
  const started = performance.now();
  const encoder = startEncoder({
    ffmpegPath,
    width: plan.width,
    height: plan.height,
    fps: plan.fps,
    outputPath,
    audio: { wav },
  });
  const frameBytes = plan.width * plan.height * 4;
  const buffers = [Buffer.alloc(frameBytes), Buffer.alloc(frameBytes)];
  const sending: Array<Promise<void> | undefined> = [undefined, undefined];
  const file = await open(rawPath, "r");
  for (let index = 0; index < plan.totalFrames; index++) {
    const slot = index % 2;
    const buffer = buffers[slot] ?? Buffer.alloc(frameBytes);
    await sending[slot];
    await file.read(buffer, 0, frameBytes, index * frameBytes);
    sending[slot] = encoder.writeFrame(buffer);
  }
  await Promise.all(sending);
  await file.close();
  await encoder.finish();
  return (performance.now() - started) / 1000;
}

/** CPU time the whole machine has been busy so far, in core-seconds (/proc/stat). */
async function machineBusy(): Promise<number> {
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = (
    await readFile("/proc/stat", "utf8")
  )
    .split("\n")[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const TICKS = 100; // USER_HZ
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

/**
 * CPU time of this process (every thread) and of its children that have exited and been waited
 * for (ffmpeg, espeak-ng), core-seconds (/proc/self/stat utime + stime, cutime + cstime).
 */
async function ownCpu(): Promise<{ self: number; children: number }> {
  const stat = await readFile("/proc/self/stat", "utf8");
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  const TICKS = 100; // USER_HZ
  // Fields 14–17 of stat(5), counted from the state (field 3) at index 0.
  const at = (field: number) => fields[field - 3] ?? 0;
  return { self: (at(14) + at(15)) / TICKS, children: (at(16) + at(17)) / TICKS };
}

interface Run {
  seconds: number;
  /** CPU time all processes spent during the run, core-seconds. */
  busy: number;
  /** Of which this node process (drawing, sound, feeding ffmpeg) and its children (ffmpeg). */
  node: number;
  ffmpeg: number;
}

async function measured(run: () => Promise<number>): Promise<Run> {
  const [before, own] = [await machineBusy(), await ownCpu()];
  const seconds = await run();
  const ownAfter = await ownCpu();
  return {
    seconds,
    busy: (await machineBusy()) - before,
    node: ownAfter.self - own.self,
    ffmpeg: ownAfter.children - own.children,
  };
}

async function endToEnd(plan: GenerationPlan, workDir: string): Promise<number> {
  const started = performance.now();
  await engine.generate(plan, context(workDir));
  return (performance.now() - started) / 1000;
}

/** Peak of (node VmRSS + ffmpeg VmRSS) while a child process renders the 15 s clip. */
async function peakRss(): Promise<{ peakMb: number; nodeMb: number; ffmpegMb: number; seconds: number }> {
  const workDir = await mkdtemp(join(root, "rss-"));
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, "--rss-child", workDir], {
    stdio: "inherit",
  });
  const rssKb = async (pid: number) => {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  };
  const ffmpegOf = async (parent: number) => {
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      const close = stat.lastIndexOf(")");
      if (Number(stat.slice(close + 2).split(" ")[1]) === parent && /ffmpeg/.test(stat.slice(0, close)))
        return Number(entry);
    }
    return undefined;
  };
  let peak = { peakMb: 0, nodeMb: 0, ffmpegMb: 0 };
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let done = false;
  void exited.then(() => (done = true));
  let ffmpegPid: number | undefined;
  while (!done && child.pid !== undefined) {
    ffmpegPid ??= await ffmpegOf(child.pid);
    const [nodeKb, ffmpegKb] = [await rssKb(child.pid), ffmpegPid === undefined ? 0 : await rssKb(ffmpegPid)];
    if (nodeKb + ffmpegKb > peak.peakMb * 1024)
      peak = { peakMb: (nodeKb + ffmpegKb) / 1024, nodeMb: nodeKb / 1024, ffmpegMb: ffmpegKb / 1024 };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if ((await exited) !== 0) throw new Error("the 15 s render failed");
  return { ...peak, seconds: (performance.now() - started) / 1000 };
}

console.log(`previz render benchmark — ${PREVIZ_DESCRIPTION}`);
console.log(
  `${rounds} round(s) per case, encode-only and end to end back to back; median times, median of the rounds' ratios (and their range)\n`,
);
// The server keeps a drawing thread warm; measure that steady state, and the cold start once.
const coldStart = performance.now();
await endToEnd(
  makeGenerationPlan({ prompt: "warm-up", aspect_ratio: "16:9", duration: "3" }),
  await mkdtemp(join(root, "warm-")),
);
console.log(
  `cold start (drawing thread + a 3 s clip): ${((performance.now() - coldStart) / 1000).toFixed(2)} s\n`,
);

const header = `${"case".padEnd(44)} ${"encode-only".padStart(11)} ${"end to end".padStart(10)} ${"ratio".padStart(6)} ${"× real time".padStart(11)}   rounds`;
console.log(header);
const rows: Array<{ ratio: number; realTime: number }> = [];
const cpuRows: string[] = [];
const cores = availableParallelism();
try {
  const cases = CASES.filter(({ name }) => name.includes(values.only));
  for (const { name, input } of values["rss-only"] ? [] : cases) {
    const plan = makeGenerationPlan(input);
    const dir = await mkdtemp(join(root, "case-"));
    const raw = join(dir, "frames.raw");
    const wav = await drawRaw(plan, raw);
    const encodeRuns: Run[] = [];
    const e2eRuns: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      const encode = () => measured(() => encodeOnly(plan, raw, wav, join(dir, "encode-only.mp4")));
      const e2e = async () => {
        const workDir = await mkdtemp(join(dir, "e2e-"));
        return measured(() => endToEnd(plan, workDir));
      };
      if (round % 2 === 0) {
        encodeRuns.push(await encode());
        e2eRuns.push(await e2e());
      } else {
        e2eRuns.push(await e2e());
        encodeRuns.push(await encode());
      }
    }
    await rm(dir, { recursive: true, force: true });
    const encodeTimes = encodeRuns.map((run) => run.seconds);
    const e2eTimes = e2eRuns.map((run) => run.seconds);
    const ratios = e2eTimes.map((time, round) => time / (encodeTimes[round] ?? Number.NaN));
    const floors = e2eRuns.map((run, round) => run.busy / cores / (encodeTimes[round] ?? Number.NaN));
    const [encodeBusy, e2eBusy] = [median(encodeRuns.map((r) => r.busy)), median(e2eRuns.map((r) => r.busy))];
    const extra = e2eRuns.map((run, round) => run.busy - (encodeRuns[round]?.busy ?? Number.NaN));
    const e2eShare = median(e2eRuns.map((run) => run.busy / (cores * run.seconds)));
    const perFrame = (of: (run: Run) => number) => {
      const ms =
        (1000 * median(e2eRuns.map((run, round) => of(run) - of(encodeRuns[round] ?? run)))) /
        plan.totalFrames;
      return `${ms < 0 ? "−" : ""}${Math.abs(ms).toFixed(1)}`;
    };
    cpuRows.push(
      `${name.padEnd(44)} ${`${encodeBusy.toFixed(2)} s`.padStart(11)} ${`${e2eBusy.toFixed(2)} s`.padStart(10)} ${`${((1000 * median(extra)) / plan.totalFrames).toFixed(1)} ms`.padStart(13)} ${`${perFrame((run) => run.node)} / ${perFrame((run) => run.ffmpeg)}`.padStart(15)} ${`${(100 * e2eShare).toFixed(0)} %`.padStart(9)} ${`${median(floors).toFixed(2)}×`.padStart(7)}`,
    );
    const [encode, e2e] = [median(encodeTimes), median(e2eTimes)];
    const row = { ratio: median(ratios), realTime: plan.totalSeconds / e2e };
    rows.push(row);
    const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
    console.log(
      `${name.padEnd(44)} ${`${encode.toFixed(2)} s`.padStart(11)} ${`${e2e.toFixed(2)} s`.padStart(10)} ${`${row.ratio.toFixed(2)}×`.padStart(6)} ${`${row.realTime.toFixed(2)}×`.padStart(11)}   ${spread}`,
    );
  }
  if (cpuRows.length > 0) {
    console.log(
      `\nCPU time of the whole machine (core-seconds, medians; ${cores} cores): the extra a frame costs end to end over encode-only,\nof it this node process's (drawing, sound, feeding ffmpeg) and ffmpeg's (which varies by a few ms a frame from run to run),\nhow busy the cores were end to end, and the floor (end to end's CPU time over every core ÷ encode-only's time)`,
    );
    console.log(
      `${"case".padEnd(44)} ${"encode-only".padStart(11)} ${"end to end".padStart(10)} ${"extra a frame".padStart(13)} ${"node / ffmpeg".padStart(15)} ${"busy".padStart(9)} ${"floor".padStart(7)}`,
    );
    for (const row of cpuRows) console.log(row);
  }
  const rss = await peakRss();
  console.log(
    `\npeak RSS, 15 s 16:9 clip: ${rss.peakMb.toFixed(0)} MB (node ${rss.nodeMb.toFixed(0)} MB + ffmpeg ${rss.ffmpegMb.toFixed(0)} MB at the peak), rendered in ${rss.seconds.toFixed(1)} s`,
  );
  if (rows.length === 0) process.exit(0);
  const worstRatio = Math.max(...rows.map((r) => r.ratio));
  const worstRealTime = Math.min(...rows.map((r) => r.realTime));
  const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
  console.log(`\nworst ratio ${worstRatio.toFixed(2)}× (target ≤ 1.15×) ${verdict(worstRatio <= 1.15)}`);
  console.log(
    `slowest ${worstRealTime.toFixed(2)}× real time (target ≥ 1.2×) ${verdict(worstRealTime >= 1.2)}`,
  );
  console.log(`peak RSS ${rss.peakMb.toFixed(0)} MB (target ≤ 400 MB) ${verdict(rss.peakMb <= 400)}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
