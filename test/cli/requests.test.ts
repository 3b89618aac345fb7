import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitFor,
  type ServerProcess,
} from "../support/server-process.ts";
import { REQUEST_LINE, runCli, startCli } from "./support.ts";

const PREVIZ = "shotline/previz/text-to-video";

/** With no worker, requests stay in the queue as long as a test needs them there. */
describe("status, result, cancel and usage on queued requests (SHOTLINE_WORKER=off)", () => {
  let server: ServerProcess;
  let env: Record<string, string>;
  const submit = async (endpoint = ENDPOINT) =>
    (await postJson(`${server.url}/queue/${endpoint}`, { prompt: "a quiet harbour", duration: "3" })).body
      .request_id as string;
  const statusOf = async (id: string, app = "fal-ai/kling-video") =>
    (await getJson(`${server.url}/queue/${app}/requests/${id}/status`)).body;

  before(async () => {
    server = await startServer({ SHOTLINE_WORKER: "off" });
    env = { SHOTLINE_URL: server.url };
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it("status shows the queue position; result says there is none yet; cancel ends the request", async () => {
    const first = await submit();
    const second = await submit();

    const json = await runCli(["status", second, "--json"], env);
    assert.equal(json.code, 0, json.stderr);
    const body = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.deepEqual([body.request_id, body.status, body.queue_position], [second, "IN_QUEUE", 1]);
    const plain = await runCli(["status", first], env);
    assert.equal(plain.stdout.trim(), "IN_QUEUE (0 ahead)");

    const early = await runCli(["result", second], env);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /has no result yet: IN_QUEUE/);

    const cancel = await runCli(["cancel", second], env);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, new RegExp(`Cancellation requested for ${second}`));
    const ended = await statusOf(second);
    assert.deepEqual([ended.status, ended.error_type], ["COMPLETED", "cancelled"]);
    assert.equal(
      (await runCli(["status", first, "--json"], env)).stdout.includes('"queue_position":0'),
      true,
    );

    const later = await runCli(["status", second], env);
    assert.match(later.stdout, /COMPLETED with an error \(cancelled\): Request was cancelled/);
    const failed = await runCli(["result", second], env);
    assert.equal(failed.code, 5, "the request ended with an error");
    assert.match(failed.stderr, /cancelled/);
    const again = await runCli(["cancel", second], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already completed/);
    await runCli(["cancel", first], env);
  });

  it("addresses a request under its endpoint: --endpoint for the previz one, 404 (exit 1) otherwise", async () => {
    const id = await submit(PREVIZ);
    const wrong = await runCli(["status", id], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /404/);
    const right = await runCli(["status", id, "--json", "--endpoint", PREVIZ], env);
    assert.equal(right.code, 0, right.stderr);
    assert.equal((JSON.parse(right.stdout) as { request_id: string }).request_id, id);
    assert.equal((await runCli(["cancel", id], { ...env, SHOTLINE_ENDPOINT: PREVIZ })).code, 0);
    assert.equal((await statusOf(id, "shotline/previz")).error_type, "cancelled");
  });

  it("Ctrl-C while queued cancels the request on the server", async () => {
    const cli = startCli(["generate", "a lighthouse in fog", "--duration", "3"], env);
    const [, id] = await cli.waitForStderr(REQUEST_LINE);
    await cli.waitForStderr(/queued, 0 ahead/);
    cli.child.kill("SIGINT");
    const run = await cli.exited;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /Cancelled request .* on the server/);
    assert.equal((await statusOf(id!)).error_type, "cancelled");
  });

  it("generate exits 5, with the error as JSON, when its request ends with an error", async () => {
    const cli = startCli(["generate", "a lighthouse in fog", "--duration", "3", "--json"], env);
    const [, id] = await cli.waitForStderr(REQUEST_LINE);
    await waitFor(async () => ((await statusOf(id!)).status === "IN_QUEUE" ? true : undefined));
    // Cancelled by someone else (another terminal, the playground): to this CLI, a failure.
    assert.equal((await runCli(["cancel", id!], env)).code, 0);
    const run = await cli.exited;
    assert.equal(run.code, 5, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      request_id: id,
      error: "Request was cancelled",
      error_type: "cancelled",
    });
    assert.match(run.stderr, /ended with an error \(cancelled\)/);
  });

  it("usage reads GET /v1/usage (local mode: the requests made without a key)", async () => {
    const run = await runCli(["usage", "--json"], env);
    assert.equal(run.code, 0, run.stderr);
    const usage = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual([usage.key_id, usage.budget_usd], [null, null]);
    assert.equal(typeof usage.requests, "number");
    const plain = await runCli(["usage"], env);
    assert.match(plain.stdout, /^no key \(local mode\): \d+ requests, .* no budget limit$/m);
  });

  it("a server that cannot be reached is exit 1, with the address named", async () => {
    const port = await closedPort();
    const run = await runCli(["usage"], { SHOTLINE_URL: `http://127.0.0.1:${port}` });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`cannot reach the server \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)`),
    );
  });
});

/** A port nothing listens on: taken from the system, then given back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
