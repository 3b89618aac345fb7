/**
 * Previz sound benchmark: what the sound track costs a render. The same requests are rendered end
 * to end by two engines, one silent (`SHOTLINE_AUDIO=off`) and one with sound (ambient beds,
 * music, dialogue with lip sync, AAC muxed), in turns, in one run; the ratio of the medians is
 * the cost of sound. On a shared machine wall time is noisy, so the CPU time each render took
 * (this process's threads plus its children: ffmpeg, espeak-ng) is compared as well. The sound
 * track's synthesis alone is timed too.
 *
 *   node --import tsx bench/previz-audio.ts               # target: with sound ≤ 1.10 × silent
 *   node --import tsx bench/previz-audio.ts --rounds 5
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

import type { VideoInput } from "../src/contract/input.ts";
import { composeSoundtrack, detectEspeak } from "../src/engines/previz/audio/index.ts";
import { createPrevizEngine, PREVIZ_DESCRIPTION } from "../src/engines/previz/index.ts";
import { makeStoryboard } from "../src/engines/previz/storyboard.ts";
import { makeGenerationPlan } from "../src/jobs/plan.ts";
import { defaultMediaTools } from "../src/media/tools.ts";

const CLIP =
  'A jazz saxophonist sways gently into the note, smoke drifting through the warm light. The camera eases in slowly. A woman at the bar whispers "play it again". Moody.';
const STORYBOARD: VideoInput["multi_prompt"] = [
  {
    prompt: "A woman walks down a neon-lit street at night in the rain, the camera pushes in",
    duration: "2",
  },
  { prompt: 'Close on her face under a flickering sign, she says "he is not coming", noir', duration: "2" },
  { prompt: "A train crosses the countryside at dawn, the camera pans right", duration: "2" },
  { prompt: "Two dogs run along the beach at sunset, tracking shot", duration: "2" },
  { prompt: "A diver swims through a coral reef, static camera", duration: "2" },
  { prompt: "Aerial drone shot over stormy mountains, epic orchestral music", duration: "2" },
];
const CASES: Array<{ name: string; input: VideoInput }> = [
  { name: "16:9 5 s clip (jazz club, a line)", input: { prompt: CLIP, aspect_ratio: "16:9", duration: "5" } },
  {
    name: "16:9 6-shot storyboard, 12 s",
    input: { multi_prompt: STORYBOARD, aspect_ratio: "16:9", duration: "5" },
  },
];

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const rounds = Math.max(1, Number(values.rounds));
const { ffmpegPath } = defaultMediaTools();
const silent = createPrevizEngine({ ffmpegPath, audio: false });
const withSound = createPrevizEngine({ ffmpegPath, audio: true });
const root = await mkdtemp(join(tmpdir(), "shotline-bench-audio-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** CPU seconds used so far by this process (all threads) and its finished children. */
async function cpuSeconds(): Promise<number> {
  const own = process.cpuUsage();
  const stat = await readFile("/proc/self/stat", "utf8");
  // Fields after the command: cutime and cstime are the 14th and 15th, in clock ticks (1/100 s).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const children = (Number(fields[13]) + Number(fields[14])) / 100;
  return (own.user + own.system) / 1e6 + children;
}

async function render(engine: typeof silent, input: VideoInput): Promise<{ wall: number; cpu: number }> {
  const workDir = await mkdtemp(join(root, "run-"));
  const [started, cpuStarted] = [performance.now(), await cpuSeconds()];
  await engine.generate(makeGenerationPlan(input), {
    signal: new AbortController().signal,
    workDir,
    log: () => {},
    progress: () => {},
  });
  const result = { wall: (performance.now() - started) / 1000, cpu: (await cpuSeconds()) - cpuStarted };
  await rm(workDir, { recursive: true, force: true });
  return result;
}

const espeak = await detectEspeak("espeak-ng");
console.log(`previz sound benchmark — ${PREVIZ_DESCRIPTION}`);
console.log(`voice: ${espeak ? `espeak-ng (${espeak})` : "babble (espeak-ng not installed)"}`);
console.log(`${rounds} round(s) per case, silent and with sound in turns; medians\n`);
try {
  // Both engines warm their drawing thread (and the sound engine its code) before timing.
  const warmUp: VideoInput = { prompt: 'A room, "hello"', aspect_ratio: "16:9", duration: "3" };
  await render(silent, warmUp);
  await render(withSound, warmUp);
  console.log(
    `${"case".padEnd(36)} ${"silent".padStart(8)} ${"sound".padStart(8)} ${"ratio".padStart(7)}   ${"cpu silent".padStart(10)} ${"cpu sound".padStart(10)} ${"ratio".padStart(7)}   ${"synthesis".padStart(9)}`,
  );
  let worst = { wall: 0, cpu: 0 };
  for (const { name, input } of CASES) {
    // The sound track alone, on the calling thread (the first time: music loops not yet made).
    const synthesisStarted = performance.now();
    await composeSoundtrack(makeStoryboard(makeGenerationPlan(input)), {
      speech: espeak ? { kind: "espeak-ng", command: "espeak-ng", version: espeak } : { kind: "babble" },
      signal: new AbortController().signal,
    });
    const synthesis = (performance.now() - synthesisStarted) / 1000;
    const off: Array<{ wall: number; cpu: number }> = [];
    const on: Array<{ wall: number; cpu: number }> = [];
    for (let round = 0; round < rounds; round++) {
      off.push(await render(silent, input));
      on.push(await render(withSound, input));
    }
    const [wallOff, wallOn] = [median(off.map((r) => r.wall)), median(on.map((r) => r.wall))];
    const [cpuOff, cpuOn] = [median(off.map((r) => r.cpu)), median(on.map((r) => r.cpu))];
    const ratio = { wall: wallOn / wallOff, cpu: cpuOn / cpuOff };
    worst = { wall: Math.max(worst.wall, ratio.wall), cpu: Math.max(worst.cpu, ratio.cpu) };
    const s = (x: number) => `${x.toFixed(2)} s`;
    const r = (x: number) => `${x.toFixed(3)}×`;
    console.log(
      `${name.padEnd(36)} ${s(wallOff).padStart(8)} ${s(wallOn).padStart(8)} ${r(ratio.wall).padStart(7)}   ${s(cpuOff).padStart(10)} ${s(cpuOn).padStart(10)} ${r(ratio.cpu).padStart(7)}   ${s(synthesis).padStart(9)}`,
    );
  }
  const verdict = (x: number) => (x <= 1.1 ? "ok" : "MISSED");
  console.log(
    `\nworst ratio: wall ${worst.wall.toFixed(3)}× ${verdict(worst.wall)}, cpu ${worst.cpu.toFixed(3)}× ${verdict(worst.cpu)} (target ≤ 1.10×)`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
