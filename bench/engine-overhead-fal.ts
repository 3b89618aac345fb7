/**
 * fal engine overhead: what Shotline adds around the model. A Shotline server with
 * `SHOTLINE_ENGINE=fal` calls a local upstream that speaks fal's queue protocol (a second Shotline
 * process serving previz, called directly, without the test proxy); for each request,
 *
 *   overhead = wall time of the sync call on Shotline − the upstream's own `metrics.inference_time`
 *
 * which covers both queues, the submit, status polls (every 500 ms), the download of the file, the
 * ffprobe check and the copy into storage. Figures are for one shot and a 6-shot storyboard, all
 * from one run of this script. The real fal service is never called.
 *
 *   node --import tsx bench/engine-overhead-fal.ts        # BENCH_RUNS=3 requests per case
 */
import { startFalUpstream } from "../test/support/fal-upstream.ts";
import { ENDPOINT, getJson, startServer } from "../test/support/server-process.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const CASES = [
  {
    title: "1 shot, 3 s",
    input: { prompt: "A lighthouse on a cliff at dusk, the camera pulls back", duration: "3" },
  },
  {
    title: "6-shot storyboard, 12 s",
    input: {
      multi_prompt: [
        "A harbour at dawn, gulls, the camera pans left",
        "Close-up of a fisherman smiling, push in",
        "A boat leaves the quay, static shot",
        "Open sea at noon, waves, tracking shot",
        "A storm gathers, lightning, the camera tilts up",
        "The boat returns at night, lanterns, slow pull back",
      ].map((prompt) => ({ prompt, duration: "2" })),
    },
  },
];

const upstream = await startFalUpstream();
const shotline = await startServer({
  SHOTLINE_ENGINE: "fal",
  SHOTLINE_FAL_URL: `${upstream.peer.url}/queue`,
  SHOTLINE_FAL_KEY: upstream.key,
});

/** One sync request through Shotline: its wall time and the upstream's own inference time. */
async function measure(input: unknown): Promise<{ wall: number; model: number }> {
  const started = performance.now();
  const response = await fetch(`${shotline.url}/run/${ENDPOINT}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as Record<string, unknown>;
  const wall = (performance.now() - started) / 1000;
  if (response.status !== 200) throw new Error(`request failed: ${response.status} ${JSON.stringify(body)}`);
  const id = response.headers.get("x-fal-request-id");
  const { body: status } = await getJson(
    `${shotline.url}/queue/fal-ai/kling-video/requests/${id}/status?logs=1`,
  );
  const logs = (status.logs ?? []) as { message: string }[];
  const upstreamId = logs.map((l) => /upstream request (\S+)/.exec(l.message)?.[1]).find(Boolean);
  if (!upstreamId) throw new Error("no upstream request id in the log");
  const theirs = await upstream.peerStatus(upstreamId);
  const model = (theirs.metrics as { inference_time: number }).inference_time;
  return { wall, model };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (value: number) => value.toFixed(2).padStart(10);

try {
  await measure(CASES[0]!.input); // warm-up: first ffprobe, first connections
  console.log(`fal engine overhead, local upstream (previz peer), ${RUNS} requests per case\n`);
  console.log(
    `${"case".padEnd(26)}${"wall s".padStart(10)}${"model s".padStart(10)}${"overhead s".padStart(12)}`,
  );
  for (const { title, input } of CASES) {
    const runs: { wall: number; model: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(input));
    for (const run of runs) {
      console.log(
        `${title.padEnd(26)}${seconds(run.wall)}${seconds(run.model)}${seconds(run.wall - run.model).padStart(12)}`,
      );
    }
    const overhead = median(runs.map((run) => run.wall - run.model));
    console.log(`${`${title}: median`.padEnd(46)}${seconds(overhead).padStart(12)}\n`);
  }
} finally {
  await shotline.stop();
  await shotline.cleanup();
  await upstream.stop();
}
