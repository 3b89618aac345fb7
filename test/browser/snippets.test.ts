import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { snippet, type SnippetContext } from "../../web/src/snippets/snippets.ts";
import { startServer, type ServerProcess } from "../support/server-process.ts";
import { ARTIFACTS_DIR, buildPlayground, launchChromium, openPlayground } from "./support/playground.ts";

const run = promisify(execFile);
const PREVIZ_ENDPOINT = "shotline/previz/text-to-video";
const PROMPT = "The city's neon lights in the rain, the camera pans left";

const hasPython = await run("python3", ["--version"]).then(
  () => true,
  () => false,
);

/** The keyword arguments of the snippet's `fal_client.subscribe(…)` call, read by Python's own parser. */
async function pythonSubscribeCall(code: string): Promise<{ endpoint: string; arguments: unknown }> {
  const reader = `
import ast, json, sys
tree = ast.parse(sys.stdin.read())
call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "subscribe")
print(json.dumps({"endpoint": ast.literal_eval(call.args[0]),
                  "arguments": ast.literal_eval(next(k.value for k in call.keywords if k.arg == "arguments"))}))
`;
  const child = execFile("python3", ["-c", reader]);
  child.stdin?.end(code);
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal(exitCode, 0, "the Python snippet parses");
  return JSON.parse(out) as { endpoint: string; arguments: unknown };
}

describe("copy as curl / JavaScript / Python", () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const expectedInput = { prompt: PROMPT, aspect_ratio: "1:1", duration: "3" };

  before(async () => {
    await buildPlayground();
    server = await startServer();
    browser = await launchChromium();
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    page = await context.newPage();
    await openPlayground(page, server.url);
    await page.check(`input[name=endpoint][value="${PREVIZ_ENDPOINT}"]`);
    await page.fill("#prompt", PROMPT);
    await page.selectOption("#duration", "3");
    await page.locator("label.aspect-option", { hasText: "1:1" }).click();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await server?.cleanup();
  });

  /** Clicks "Copy as …" and returns what reached the clipboard (the same as the code shown). */
  async function copy(language: string): Promise<string> {
    await page.click(`[data-copy=${language}]`);
    await page.waitForSelector(`[data-copy=${language}]:text("Copied")`);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await page.textContent(`[data-snippet=${language}]`));
    return copied;
  }

  it("curl: runs as copied against this origin", async () => {
    const code = await copy("curl");
    assert.ok(code.includes(`${server.url}/run/${PREVIZ_ENDPOINT}`), code);
    assert.ok(!code.includes("Authorization"), "no key in local mode");
    const { stdout } = await run("sh", ["-c", code], { timeout: 120_000 });
    const video = (JSON.parse(stdout) as { video: { width: number; height: number; num_frames: number } })
      .video;
    assert.deepEqual([video.width, video.height, video.num_frames], [1440, 1440, 72]);
  });

  it("JavaScript: runs as copied with the official @fal-ai/client", async () => {
    const code = await copy("javascript");
    // Inside the repository, so that `@fal-ai/client` resolves from its node_modules.
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, "snippet.mjs");
    await writeFile(file, code);
    const env = { ...process.env };
    delete env.FAL_KEY;
    const { stdout } = await run(process.execPath, [file], { env, timeout: 120_000 });
    const lines = stdout.trim().split("\n");
    assert.ok(
      lines.some((line) => /shot 1\/1: .*rain/.test(line)),
      `logs printed while running:\n${stdout}`,
    );
    const url = lines.at(-1)!;
    assert.ok(url.startsWith(`${server.url}/files/`), url);
    const output = await fetch(url);
    assert.equal(output.status, 200);
    assert.equal(output.headers.get("content-type"), "video/mp4");
  });

  it("Python: targets this origin with the form's input", { skip: !hasPython && "no python3" }, async () => {
    const code = await copy("python");
    assert.ok(code.includes(`fal_client.client.QUEUE_URL_FORMAT = "${server.url}/queue/"`), code);
    const call = await pythonSubscribeCall(code);
    assert.equal(call.endpoint, PREVIZ_ENDPOINT);
    assert.deepEqual(call.arguments, expectedInput);
  });

  it("follows the form: a storyboard and a kept key", async () => {
    const context: SnippetContext = {
      origin: "https://shotline.example.com",
      endpointId: PREVIZ_ENDPOINT,
      input: {
        multi_prompt: [
          { prompt: `it's "quoted"\nand on two lines`, duration: "2" },
          { prompt: "second", duration: "3" },
        ],
        aspect_ratio: "9:16",
      },
      withKey: true,
    };
    const curl = snippet("curl", context);
    assert.ok(curl.includes(`-H "Authorization: Key $FAL_KEY"`));
    // The shell hands curl exactly the JSON of the input.
    const body = curl.slice(curl.indexOf("-d ") + 3);
    const { stdout } = await run("sh", ["-c", `printf '%s' ${body}`]);
    assert.deepEqual(JSON.parse(stdout), context.input);

    assert.match(snippet("javascript", context), /credentials: process\.env\.FAL_KEY/);
    const python = snippet("python", context);
    // An https origin: the client's own host setting, no patching.
    assert.ok(python.includes(`os.environ["FAL_QUEUE_RUN_HOST"] = "shotline.example.com/queue"`), python);
    assert.ok(!python.includes("QUEUE_URL_FORMAT"));
    if (hasPython) assert.deepEqual((await pythonSubscribeCall(python)).arguments, context.input);
  });
});
