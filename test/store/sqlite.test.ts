import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.ts";
import { createSqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { describeStoreConformance } from "./conformance.ts";
import { enqueueMany, newRequest } from "./conformance/fixture.ts";

describeStoreConformance("sqlite file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "shotline-store-"));
  const path = join(dir, "nested", "shotline.db");
  return {
    store: createSqliteStore({ path }),
    reopen: async () => createSqliteStore({ path }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describeStoreConformance("sqlite :memory:", async () => ({
  store: createSqliteStore({ path: ":memory:" }),
  cleanup: async () => undefined,
}));

describe("sqlite store specifics", () => {
  let dir = "";
  before(async () => void (dir = await mkdtemp(join(tmpdir(), "shotline-sqlite-"))));
  after(() => rm(dir, { recursive: true, force: true }));

  it("opens in WAL mode with the chosen synchronous level and records its migrations once", async () => {
    const path = join(dir, "pragmas", "a.db");
    await createSqliteStore({ path, synchronous: "full" }).close();
    await createSqliteStore({ path }).close(); // reopening applies nothing twice

    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
      assert.deepEqual(
        versions,
        MIGRATIONS.map((migration) => migration.version),
      );
    } finally {
      db.close();
    }
  });

  it("close commits submits still waiting for their group commit", async () => {
    const path = join(dir, "close.db");
    const store = createSqliteStore({ path });
    const request = newRequest();
    const pending = store.enqueue(request);
    await store.close();
    assert.equal((await pending).id, request.id);
    const reopened = createSqliteStore({ path });
    assert.equal((await reopened.get(request.id))?.status, "IN_QUEUE");
    await reopened.close();
  });

  it("refuses a database migrated by a newer build", async () => {
    const path = join(dir, "future.db");
    await createSqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)").run();
    db.close();
    assert.throws(() => createSqliteStore({ path }), /newer than this build/);
  });

  it("separate processes claiming from one file never take the same request", async () => {
    const path = join(dir, "processes.db");
    const store = createSqliteStore({ path });
    const submitted = await enqueueMany(store, 300, { createdAt: Date.now() });
    await store.close();

    const script = fileURLToPath(new URL("./fixtures/sqlite-claimer.ts", import.meta.url));
    const children = ["p1", "p2", "p3"].map((workerId) =>
      spawn(process.execPath, ["--import", "tsx", script, path, workerId], {
        stdio: ["pipe", "pipe", "inherit"],
      }),
    );
    const outputs = children.map((child) => collect(child.stdout));
    await Promise.all(children.map((child) => once(child.stdout, "data")));
    for (const child of children) child.stdin.write("go\n");
    const exits = await Promise.all(children.map((child) => once(child, "exit")));
    assert.deepEqual(
      exits.map(([code]) => code),
      [0, 0, 0],
    );

    const claimedBy = (await Promise.all(outputs)).map(
      (text) => JSON.parse(text.split("\n")[1] ?? "") as string[],
    );
    const all = claimedBy.flat();
    assert.equal(new Set(all).size, all.length, "a request was claimed by two processes");
    assert.deepEqual(all.sort(), submitted.map((record) => record.id).sort());
  });
});

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}
