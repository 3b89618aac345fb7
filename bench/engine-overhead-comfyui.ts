/**
 * Overhead Shotline adds around a ComfyUI model: the wall time of a request minus the ComfyUI
 * server's own generation time, for one shot and for a 6-shot storyboard (where conforming and
 * joining add the most), measured in one run. The ComfyUI side is the local test peer (ffmpeg test
 * sources at the shipped Wan 2.2 template's native 1280×704, 24 fps, after sampler steps that
 * sleep as a GPU would keep the CPU free), not a real model: it reports its own time per prompt,
 * from `execution_start` to `execution_success`. Shotline is a real server process; each request
 * goes through the sync route `POST /run/…`. Shotline conforms each shot while the next one
 * generates, so on this machine its CPU work also slows the peer's ffmpeg a little.
 *
 *   node --import tsx bench/engine-overhead-comfyui.ts
 */
import { defaultMediaTools } from "../src/media/tools.ts";
import { startComfyPeer } from "../test/support/comfyui-peer.ts";
import { ENDPOINT, getJson, startServer } from "../test/support/server-process.ts";

interface LogEntry {
  message: string;
  timestamp: string;
}

const { ffmpegPath } = defaultMediaTools();
// Eight sampler steps of 150 ms stand for the model's GPU time; the peer's ffmpeg adds real CPU work.
const peer = await startComfyPeer({ ffmpegPath, steps: 8, stepDelayMs: 150 });
const server = await startServer({
  SHOTLINE_ENGINE: "comfyui",
  SHOTLINE_COMFYUI_URL: peer.url,
  SHOTLINE_COMFYUI_WORKFLOW: "wan2.2-ti2v-5b",
});

/** Runs one request through `/run` and splits its wall time into ComfyUI's and Shotline's. */
async function measure(title: string, input: Record<string, unknown>) {
  const before = new Set(peer.prompts.keys());
  const started = performance.now();
  const response = await fetch(`${server.url}/run/${ENDPOINT}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { video?: { num_frames: number } };
  const wall = (performance.now() - started) / 1000;
  if (response.status !== 200 || !body.video)
    throw new Error(`${title}: ${response.status} ${JSON.stringify(body)}`);

  const prompts = [...peer.prompts.values()].filter((prompt) => !before.has(prompt.id));
  const generation = prompts.reduce((sum, prompt) => sum + (prompt.generationMs ?? 0), 0) / 1000;
  const overhead = wall - generation;
  // What is left after ComfyUI delivered the last shot (its conform, and the join), from the
  // request's own log timestamps: the part of the overhead that no generation hides.
  const id = response.headers.get("x-fal-request-id");
  const queue = ENDPOINT.split("/").slice(0, 2).join("/");
  const { body: status } = await getJson(`${server.url}/queue/${queue}/requests/${id}/status?logs=1`);
  const logs = (status.logs ?? []) as LogEntry[];
  const lastAt = (pattern: RegExp) =>
    Date.parse(logs.findLast((entry) => pattern.test(entry.message))?.timestamp ?? "");
  const tail = (lastAt(/^Done in/) - lastAt(/^comfyui: shot \d+\/\d+: got /)) / 1000;

  const shots = prompts.length;
  console.log(
    `${title.padEnd(26)} wall ${wall.toFixed(2).padStart(6)} s  ComfyUI ${generation.toFixed(2).padStart(6)} s  ` +
      `overhead ${overhead.toFixed(2).padStart(5)} s (${((100 * overhead) / wall).toFixed(0)}% of wall, ` +
      `${(overhead / shots).toFixed(2)} s per shot; after the last shot ${tail.toFixed(2)} s, ` +
      `${body.video.num_frames} frames)`,
  );
  return { wall, generation, overhead, shots };
}

try {
  await measure("warm-up (not counted)", { prompt: "warm-up", duration: "3" });
  const one = await measure("1 shot, 5 s, 16:9", {
    prompt: "A lighthouse at dusk, the camera pulls back",
    duration: "5",
  });
  const six = await measure("6 shots, 15 s, 16:9", {
    multi_prompt: [
      { prompt: "A beach at dawn, pan left", duration: "3" },
      { prompt: "Close-up of a gull", duration: "3" },
      { prompt: "A fishing boat leaves the harbour", duration: "3" },
      { prompt: "The boat on open water", duration: "2" },
      { prompt: "Nets hauled aboard", duration: "2" },
      { prompt: "The harbour at night", duration: "2" },
    ],
  });
  console.log(
    `\noverhead / wall: 1 shot ${(one.overhead / one.wall).toFixed(2)}, 6 shots ${(six.overhead / six.wall).toFixed(2)}; ` +
      `per shot ${(six.overhead / six.shots).toFixed(2)} s in the storyboard vs ${one.overhead.toFixed(2)} s alone`,
  );
  console.log(
    "(each shot is conformed while the next generates: in a storyboard only the last shot's conform and the\n" +
      " join remain after generation; here the peer's ffmpeg shares the CPU with them, so part of that work\n" +
      " shows up in the peer's time, which a GPU-bound model would not)",
  );
} finally {
  await server.stop();
  await server.cleanup();
  await peer.close();
}
