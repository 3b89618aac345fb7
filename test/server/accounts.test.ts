import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitCompleted,
  type ServerProcess,
} from "../support/server-process.ts";

const run = promisify(execFile);
const MAIN = path.resolve(import.meta.dirname, "../../src/cli/main.ts");

/** Runs `shotline …` on a data dir, as an operator would, while the server runs. */
async function shotline(dataDir: string, ...args: string[]) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { ...process.env, SHOTLINE_DATA_DIR: dataDir },
  });
  return stdout.trim();
}

const auth = (token: string) => ({ authorization: `Key ${token}` });
const FIVE_SECONDS = { prompt: "a lighthouse", duration: "5" }; // $0.70

describe("API keys, isolation, budgets and idempotency (SHOTLINE_AUTH=required)", () => {
  let server: ServerProcess;
  let alice: string;
  let bob: string;
  let admin: string;
  before(async () => {
    server = await startServer({ SHOTLINE_AUTH: "required", SHOTLINE_WORKER: "off" });
    alice = await shotline(server.dataDir, "keys", "create", "--name", "alice");
    bob = await shotline(server.dataDir, "keys", "create", "--name", "bob");
    admin = await shotline(server.dataDir, "keys", "create", "--name", "ops", "--admin");
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
  });
  const submitUrl = () => `${server.url}/queue/${ENDPOINT}`;

  it("prints key_id:secret once and stores only a hash", async () => {
    assert.match(alice, /^[0-9a-f-]{36}:[0-9a-f]{64}$/);
    const listed = JSON.parse(await shotline(server.dataDir, "keys", "list", "--json")) as Record<
      string,
      unknown
    >[];
    assert.deepEqual(
      listed.map((k) => k.name),
      ["alice", "bob", "ops"],
    );
    assert.ok(!JSON.stringify(listed).includes(alice.split(":")[1]!), "no secret in the listing");
  });

  it("answers 401 with fal's bodies for missing, malformed, unknown and revoked keys", async () => {
    const missing = await postJson(submitUrl(), {});
    assert.equal(missing.response.status, 401);
    assert.match(String(missing.body.detail), /Key <key_id>:<key_secret>/);
    for (const header of ["Bearer abc", "Key nocolon", "Key a:b c"]) {
      const malformed = await postJson(submitUrl(), {}, { authorization: header });
      assert.equal(malformed.response.status, 401, header);
      assert.match(String(malformed.body.detail), /Malformed.*Key <key_id>:<key_secret>/);
    }
    const [id] = alice.split(":");
    for (const token of [
      `${id}:${"0".repeat(64)}`,
      `00000000-0000-4000-8000-000000000000:${"1".repeat(64)}`,
    ]) {
      const unknown = await postJson(submitUrl(), {}, auth(token));
      assert.equal(unknown.response.status, 401);
      assert.deepEqual(unknown.body, { detail: "No user found for Key ID and Secret" });
    }
    const doomed = await shotline(server.dataDir, "keys", "create", "--name", "doomed");
    assert.equal((await postJson(submitUrl(), {}, auth(doomed))).response.status, 200);
    await shotline(server.dataDir, "keys", "revoke", doomed.split(":")[0]!);
    const revoked = await postJson(submitUrl(), {}, auth(doomed));
    assert.equal(revoked.response.status, 401);
    assert.match(String(revoked.body.detail), /revoked/);
    // Routes that fal serves without auth stay open.
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${server.url}/openapi.json`)).status, 200);
  });

  it("shows a request to its own key only: 404 for any other key on every route", async () => {
    const { body: receipt } = await postJson(submitUrl(), { prompt: "mine" }, auth(alice));
    const base = receipt.response_url as string;
    assert.equal((await fetch(`${base}/status`, { headers: auth(alice) })).status, 202);
    for (const [url, method] of [
      [`${base}/status`, "GET"],
      [`${base}/status/stream`, "GET"],
      [base, "GET"],
      [`${base}/response`, "GET"],
      [`${base}/cancel`, "PUT"],
    ] as const) {
      const response = await fetch(url, { method, headers: auth(bob) });
      assert.equal(response.status, 404, `${method} ${url}`);
      const unauthenticated = await fetch(url, { method });
      assert.equal(unauthenticated.status, 401, `${method} ${url} without a key`);
    }
    assert.equal((await fetch(`${base}/cancel`, { method: "PUT", headers: auth(alice) })).status, 202);
  });

  it("reserves budgets at submit under concurrency: 20 parallel submits against a budget for 5", async () => {
    const limited = await shotline(
      server.dataDir,
      "keys",
      "create",
      "--name",
      "limited",
      "--budget-usd",
      "3.5",
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postJson(submitUrl(), FIVE_SECONDS, auth(limited))),
    );
    const accepted = answers.filter((a) => a.response.status === 200);
    const refused = answers.filter((a) => a.response.status === 402);
    assert.equal(accepted.length, 5);
    assert.equal(refused.length, 15);
    assert.match(String(refused[0]?.body.detail), /costs \$0\.70.*\$0\.00.*budget/);

    const usage = await getJson(`${server.url}/v1/usage`, { headers: auth(limited) });
    assert.equal(usage.body.reserved_usd, 3.5);
    assert.equal(usage.body.remaining_usd, 0);
    // A cancel releases its reservation: one more fits.
    await fetch(accepted[0]!.body.cancel_url as string, { method: "PUT", headers: auth(limited) });
    assert.equal((await postJson(submitUrl(), FIVE_SECONDS, auth(limited))).response.status, 200);
    assert.equal((await postJson(submitUrl(), FIVE_SECONDS, auth(limited))).response.status, 402);
  });

  it("returns the first request for a repeated Idempotency-Key, and 422 for the same key with another body", async () => {
    const headers = { ...auth(alice), "idempotency-key": "order-42" };
    const first = await postJson(submitUrl(), { prompt: "once" }, headers);
    const again = await postJson(submitUrl(), { prompt: "once" }, headers);
    assert.equal(first.response.status, 200);
    assert.equal(again.body.request_id, first.body.request_id);
    const conflict = await postJson(submitUrl(), { prompt: "something else" }, headers);
    assert.equal(conflict.response.status, 422);
    const detail = conflict.body.detail as { loc: string[]; msg: string }[];
    assert.deepEqual(detail[0]?.loc, ["header", "Idempotency-Key"]);
    assert.match(detail[0]?.msg ?? "", new RegExp(String(first.body.request_id)));
    // Keys are per API key: bob may use the same string for his own request.
    const bobs = await postJson(
      submitUrl(),
      { prompt: "once" },
      { ...auth(bob), "idempotency-key": "order-42" },
    );
    assert.notEqual(bobs.body.request_id, first.body.request_id);
  });

  it("gives an admin key every key's usage, and a plain key its own only", async () => {
    const mine = await getJson(`${server.url}/v1/usage`, { headers: auth(bob) });
    assert.equal(mine.body.key_id, bob.split(":")[0]);
    assert.equal(mine.body.keys, undefined);
    const all = await getJson(`${server.url}/v1/usage`, { headers: auth(admin) });
    const names = (all.body.keys as { name: string }[]).map((k) => k.name).sort();
    assert.ok(
      ["alice", "bob", "limited", "ops"].every((n) => names.includes(n)),
      names.join(),
    );
  });
});

describe("usage is settled on completion (local mode, with a worker)", () => {
  it("bills a finished request once, frees its reservation, and refuses what no longer fits", async () => {
    const server = await startServer();
    try {
      const key = await shotline(
        server.dataDir,
        "keys",
        "create",
        "--name",
        "one-shot",
        "--budget-usd",
        "0.5",
      );
      const submit = (body: unknown) => postJson(`${server.url}/queue/${ENDPOINT}`, body, auth(key));
      const { body } = await submit({ prompt: "a small test", duration: "3" }); // $0.42
      // Local mode needs no key, but a keyed request is still its key's alone.
      assert.equal((await fetch(body.status_url as string)).status, 404);
      const done = await waitCompleted(body.status_url as string, 120_000, auth(key));
      assert.equal(done.error, undefined);
      const usage = await getJson(`${server.url}/v1/usage`, { headers: auth(key) });
      assert.deepEqual(
        [usage.body.requests, usage.body.cost_usd, usage.body.reserved_usd, usage.body.remaining_usd],
        [1, 0.42, 0, 0.08],
      );
      const refused = await submit({ prompt: "one more", duration: "3" });
      assert.equal(refused.response.status, 402);
      const ledger = JSON.parse(await shotline(server.dataDir, "keys", "usage", "--json")) as Record<
        string,
        unknown
      >[];
      assert.deepEqual(
        ledger.map((row) => [row.name, row.requests, row.cost_usd]),
        [["one-shot", 1, 0.42]],
      );
      // A request without a key is fine on a loopback address.
      assert.equal(
        (await postJson(`${server.url}/queue/${ENDPOINT}`, { prompt: "anonymous" })).response.status,
        200,
      );
    } finally {
      await server.stop();
      await server.cleanup();
    }
  });
});
