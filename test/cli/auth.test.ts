import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startServer, type ServerProcess } from "../support/server-process.ts";
import { runCli } from "./support.ts";

describe("keys, budgets and where the key comes from (SHOTLINE_AUTH=required)", () => {
  let server: ServerProcess;
  let dir: string;
  let alice: string;
  let admin: string;
  let env: Record<string, string>;
  /** An operator's `shotline keys …` on the server's store. */
  const keys = async (...args: string[]) => {
    const run = await runCli(["keys", ...args], { SHOTLINE_DATA_DIR: server.dataDir });
    assert.equal(run.code, 0, run.stderr);
    return run.stdout.trim();
  };

  before(async () => {
    server = await startServer({ SHOTLINE_AUTH: "required", SHOTLINE_WORKER: "off" });
    dir = await mkdtemp(path.join(os.tmpdir(), "shotline-cli-auth-"));
    env = { SHOTLINE_URL: server.url };
    alice = await keys("create", "--name", "alice", "--budget-usd", "5");
    admin = await keys("create", "--name", "ops", "--admin");
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 3 when the server refuses the key: none, or an unknown one", async () => {
    for (const key of [{}, { FAL_KEY: "nobody:nothing" }]) {
      const run = await runCli(["generate", "a cat", "--duration", "3"], { ...env, ...key });
      assert.equal(run.code, 3, run.stderr);
      assert.match(
        run.stderr,
        /the server answered 401: .*give a key with --key, FAL_KEY or the config file/,
      );
      assert.equal(run.stdout, "");
    }
    assert.equal((await runCli(["usage"], env)).code, 3);
  });

  it("takes the key from --key, FAL_KEY or the config file, in that order", async () => {
    const whoAmI = async (extraEnv: Record<string, string>, ...args: string[]) => {
      const run = await runCli(["usage", "--json", ...args], { ...env, ...extraEnv });
      assert.equal(run.code, 0, run.stderr);
      const body = JSON.parse(run.stdout) as { name?: string; keys?: unknown[] };
      return body.keys ? "an admin" : body.name;
    };
    const config = path.join(dir, "config.json");
    await writeFile(config, JSON.stringify({ url: "http://127.0.0.1:1", key: alice }));
    // The file gives the key; SHOTLINE_URL still wins over its url.
    assert.equal(await whoAmI({ SHOTLINE_CONFIG: config }), "alice");
    assert.equal(await whoAmI({ SHOTLINE_CONFIG: config, FAL_KEY: admin }), "an admin");
    assert.equal(await whoAmI({ SHOTLINE_CONFIG: config, FAL_KEY: admin }, "--key", alice), "alice");
  });

  it("usage shows a key's budget, and every key's usage to an admin key", async () => {
    const mine = await runCli(["usage"], { ...env, FAL_KEY: alice });
    assert.equal(mine.code, 0, mine.stderr);
    assert.match(mine.stdout, /^alice: 0 requests, 0 s, \$0 spent, \$0 reserved; budget \$5, \$5 left$/m);
    const all = await runCli(["usage", "--json"], { ...env, FAL_KEY: admin });
    const names = (JSON.parse(all.stdout) as { keys: { name: string }[] }).keys.map((k) => k.name).sort();
    assert.deepEqual(names, ["alice", "ops"]);
  });

  it("exits 4 when the request does not fit in what is left of the key's budget", async () => {
    const poor = await keys("create", "--name", "poor", "--budget-usd", "0.1");
    const run = await runCli(["generate", "a cat", "--duration", "3"], { ...env, FAL_KEY: poor });
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /the server answered 402/);
  });
});
