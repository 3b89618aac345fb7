import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import { getJson, startServer, waitFor, type ServerProcess } from "../support/server-process.ts";
import { BIN, REQUEST_LINE, runCli, startCli } from "./support.ts";

const { ffprobePath } = defaultMediaTools();
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

interface JsonResult {
  request_id: string;
  file?: string;
  video: { url: string; width: number; height: number; num_frames: number; file_size: number };
}

describe("shotline generate, against a running server", () => {
  let server: ServerProcess;
  let dir: string;
  const posts = () => server.logs.filter((line) => line.method === "POST").length;
  before(async () => {
    server = await startServer();
    dir = await mkdtemp(path.join(os.tmpdir(), "shotline-cli-"));
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("renders a prompt and writes a valid MP4 of the asked shape", async () => {
    const run = await runCli(
      ["generate", "A lighthouse at dusk, the camera pulls back", "--duration", "3", "--aspect", "9:16"],
      { SHOTLINE_URL: server.url },
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    const requestId = run.stderr.match(REQUEST_LINE)?.[1];
    assert.ok(requestId, run.stderr);
    // Without --out the video is saved as REQUEST_ID.mp4 in the working directory.
    const file = path.join(dir, `${requestId}.mp4`);
    const facts = await probeVideo(ffprobePath, file, { countFrames: true });
    assert.deepEqual(
      [facts.codec, facts.width, facts.height, facts.fps, facts.numFrames],
      ["h264", 1080, 1920, 24, 72],
    );
    assert.equal(facts.size, (await stat(file)).size);
    assert.match(run.stdout, new RegExp(`${requestId}\\.mp4: 1080×1920, 3 s, 72 frames`));
    // Not a terminal: plain progress lines, ending with the completion.
    assert.match(run.stderr, /rendering \d+%/);
    assert.match(run.stderr, /^completed \(elapsed \d+:\d\d\)$/m);
    const status = await getJson(`${server.url}/queue/fal-ai/kling-video/requests/${requestId}/status`);
    assert.equal(status.body.status, "COMPLETED");
  });

  it("--json prints one JSON object on stdout: the result with its request_id", async () => {
    const out = path.join(dir, "clip.mp4");
    const run = await runCli(["generate", "rain on a window", "--duration", "3", "--json", "--out", out], {
      SHOTLINE_URL: server.url,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split("\n").length, 1, "one line");
    const result = JSON.parse(run.stdout) as JsonResult;
    assert.match(result.request_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual([result.video.width, result.video.height, result.video.num_frames], [1920, 1080, 72]);
    assert.equal(result.file, out);
    assert.equal((await stat(out)).size, result.video.file_size);
    assert.equal((await probeVideo(ffprobePath, out, { countFrames: true })).numFrames, 72);
    assert.ok(!existsSync(`${out}.partial`));
  });

  it("renders a storyboard given as --shot/--shot-duration pairs, each shot read from its own prompt", async () => {
    const out = path.join(dir, "board.mp4");
    const run = await runCli(
      [
        "generate",
        "--shot",
        "a beach at dawn, pan left",
        "--shot-duration",
        "1",
        "--shot",
        "a forest at night, fireflies",
        "--shot-duration",
        "2",
        "--aspect",
        "1:1",
        "--out",
        out,
        "--json",
        "--url",
        server.url,
      ],
      {},
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as JsonResult;
    assert.deepEqual([result.video.width, result.video.height, result.video.num_frames], [1440, 1440, 72]);
    // The engine's logs, shown while waiting, read each shot with its own prompt.
    assert.match(run.stderr, /Drawing 2 shot\(s\), 1440×1440/);
    assert.match(run.stderr, /shot 1\/2: .*pan-left/);
    assert.match(run.stderr, /shot 2\/2: .*night/);
    assert.equal((await probeVideo(ffprobePath, out, { countFrames: true })).numFrames, 72);
  });

  it("reads a storyboard file, and --endpoint picks the free previz endpoint", async () => {
    const board = path.join(dir, "board.json");
    await writeFile(
      board,
      JSON.stringify([
        { prompt: "a desert at noon", duration: "2" },
        { prompt: "snow falling on mountains", duration: "1" },
      ]),
    );
    const run = await runCli(
      [
        "generate",
        "--storyboard",
        board,
        "--no-download",
        "--json",
        "--endpoint",
        "shotline/previz/text-to-video",
      ],
      { SHOTLINE_URL: server.url },
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as JsonResult;
    assert.equal(result.video.num_frames, 72);
    assert.equal(result.file, undefined, "--no-download saves nothing");
    assert.match(run.stderr, /Drawing 2 shot\(s\)/);
    const status = await getJson(`${server.url}/queue/shotline/previz/requests/${result.request_id}/status`);
    assert.equal(status.body.status, "COMPLETED", "submitted to the previz endpoint");
  });

  it("refuses bad flags and bad input with exit 2, naming the flag, before sending anything", async () => {
    const before = posts();
    const cases: [string[], RegExp][] = [
      [["a cat", "--aspect", "4:3"], /^shotline: --aspect: Input should be '16:9', '9:16' or '1:1'/],
      [["a cat", "--duration", "20"], /^shotline: --duration: Input should be/],
      [["a cat", "--bogus"], /Unknown option '--bogus'/],
      [["--shot", "a", "--shot-duration", "0"], /^shotline: --shot-duration \(shot 1\): Input should be/],
      [
        ["--shot", "a", "--shot-duration", "9", "--shot", "b", "--shot-duration", "9"],
        /^shotline: --shot: .*15 s/,
      ],
      [["--shot-duration", "3"], /--shot-duration must follow the --shot/],
      [["a cat", "--shot", "a dog"], /give one of/],
      [["a cat", "--url", "gpu-box"], /^shotline: --url "gpu-box": not an http\(s\) URL/],
      [["--storyboard", path.join(dir, "missing.json")], /^shotline: --storyboard .*missing\.json/],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(["generate", ...args], { SHOTLINE_URL: server.url }, dir);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, pattern, args.join(" "));
      assert.match(run.stderr, /Usage: shotline/, "the usage text follows");
      assert.equal(run.stdout, "");
    }
    assert.equal(posts(), before, "nothing was submitted");
  });

  it("Ctrl-C during a render cancels the request on the server and exits 130", async () => {
    const out = path.join(dir, "interrupted.mp4");
    const cli = startCli(["generate", "a long desert drive", "--duration", "15", "--out", out], {
      SHOTLINE_URL: server.url,
    });
    const [, requestId] = await cli.waitForStderr(REQUEST_LINE);
    const statusUrl = `${server.url}/queue/fal-ai/kling-video/requests/${requestId}/status`;
    await waitFor(async () => ((await getJson(statusUrl)).body.status === "IN_PROGRESS" ? true : undefined));
    cli.child.kill("SIGINT");
    const run = await cli.exited;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, new RegExp(`Cancelled request ${requestId} on the server`));
    const status = await getJson(statusUrl);
    assert.equal(status.body.status, "COMPLETED");
    assert.equal(status.body.error_type, "cancelled", "the render was stopped, not left to finish");
    assert.ok(!existsSync(out));
  });

  it(
    "on a terminal, draws a progress bar with percent, queue, elapsed time and ETA",
    { skip: !hasScript },
    async () => {
      const out = path.join(dir, "tty.mp4");
      const command = [process.execPath, BIN, "generate", "a city at dawn", "--duration", "3"]
        .concat(["--out", out, "--url", server.url])
        .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
        .join(" ");
      const run = await runOnTerminal(command);
      assert.equal(run.code, 0, run.output);
      // eslint-disable-next-line no-control-regex -- terminal escapes are what a bar is drawn with
      const screen = run.output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "\n");
      assert.match(screen, /rendering \|[█░]{30}\| \d+% \| queue — \| elapsed \d+:\d\d \| ETA (\d+:\d\d|—)/);
      assert.match(screen, /completed \|█{30}\| 100%/);
      assert.ok((await readdir(dir)).includes("tty.mp4"));
    },
  );
});

/** Runs a shell command on a pseudo-terminal (util-linux `script`), as in an interactive shell. */
function runOnTerminal(command: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(FAL_KEY|SHOTLINE_)/.test(name)),
  );
  const child = spawn("script", ["-qec", command, "/dev/null"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, output })),
  );
}
