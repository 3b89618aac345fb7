import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { MIGRATIONS } from "../../src/store/postgres/migrations.ts";
import {
  migrate as migrateSqlite,
  MIGRATIONS as SQLITE_MIGRATIONS,
} from "../../src/store/sqlite/migrations.ts";
import { createPostgresStore } from "../../src/store/postgres/postgres-store.ts";
import type { RequestStore } from "../../src/store/port.ts";
import { describeStoreConformance } from "./conformance.ts";
import { claimOptions, METRICS, newRequest, RESULT, T0 } from "./conformance/fixture.ts";
import {
  adminQuery,
  dropSchema,
  freshSchemaName,
  POSTGRES_URL,
  postgresSkipReason,
} from "./fixtures/postgres.ts";

const skip = await postgresSkipReason();
const open = (schema: string) => createPostgresStore({ url: POSTGRES_URL, schema, maxConnections: 4 });

if (skip !== undefined) {
  describe("PostgreSQL store", () => void it("needs a PostgreSQL server", (t) => t.skip(skip)));
} else {
  // Each test gets its own schema, dropped afterwards: runs never see each other's rows.
  describeStoreConformance("postgresql", async () => {
    const schema = freshSchemaName();
    const store = open(schema);
    await store.ready();
    return { store, reopen: async () => open(schema), cleanup: () => dropSchema(schema) };
  });

  describe("postgresql store specifics", () => {
    const schema = freshSchemaName();
    const stores: RequestStore[] = [];
    const track = (store: RequestStore) => (stores.push(store), store);
    before(async () => await track(open(schema)).ready());
    after(async () => {
      for (const store of stores) await store.close();
      await dropSchema(schema);
    });

    it("records its migrations once, even when instances start together", async () => {
      const other = freshSchemaName();
      const racing = [open(other), open(other), open(other)];
      try {
        await Promise.all(racing.map((store) => store.ready()));
        const rows = await adminQuery<{ version: number }>(
          `SELECT version FROM ${other}.schema_migrations ORDER BY version`,
        );
        assert.deepEqual(
          rows.map((row) => row.version),
          MIGRATIONS.map((migration) => migration.version),
        );
      } finally {
        for (const store of racing) await store.close();
        await dropSchema(other);
      }
    });

    it("has the same migrations, tables and columns as the SQLite schema", async () => {
      const steps = (list: readonly { version: number; name: string }[]) =>
        list.map((m) => [m.version, m.name]);
      assert.deepEqual(steps(MIGRATIONS), steps(SQLITE_MIGRATIONS));

      const sqlite = new Database(":memory:");
      migrateSqlite(sqlite);
      const sqliteTables = sqlite
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .pluck()
        .all() as string[];
      const sqliteColumns = Object.fromEntries(
        sqliteTables.map((table) => [
          table,
          (sqlite.prepare(`SELECT name FROM pragma_table_xinfo(?)`).pluck().all(table) as string[]).sort(),
        ]),
      );
      sqlite.close();
      const rows = await adminQuery<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1`,
        [schema],
      );
      const postgresColumns: Record<string, string[]> = {};
      for (const row of rows) (postgresColumns[row.table_name] ??= []).push(row.column_name);
      for (const columns of Object.values(postgresColumns)) columns.sort();
      // usage.seq stands for SQLite's implicit rowid (the order usage rows are listed in).
      postgresColumns.usage = postgresColumns.usage?.filter((column) => column !== "seq") ?? [];
      assert.deepEqual(postgresColumns, sqliteColumns);
    });

    it("refuses a schema migrated by a newer build", async () => {
      const other = freshSchemaName();
      const first = open(other);
      await first.ready();
      await first.close();
      await adminQuery(
        `INSERT INTO ${other}.schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`,
      );
      const later = open(other);
      try {
        await assert.rejects(later.ready(), /newer than this build/);
        await assert.rejects(later.get("x"), /newer than this build/);
      } finally {
        await later.close();
        await dropSchema(other);
      }
    });

    it("an instance hears the changes another instance makes, and not its own twice", async () => {
      const listener = track(open(schema));
      const writer = track(open(schema));
      const heardByListener: string[] = [];
      const heardByWriter: string[] = [];
      listener.onChange((id) => heardByListener.push(id));
      writer.onChange((id) => heardByWriter.push(id));
      await waitUntil(async () => (await listenerCount(schema)) >= 2);

      const request = await writer.enqueue(newRequest());
      await waitUntil(async () => heardByListener.includes(request.id));
      const claimed = await writer.claim(claimOptions("w1", T0));
      assert.equal(claimed?.id, request.id);
      await writer.setProgress(request.id, "w1", 0.5);
      await writer.appendLog(request.id, {
        message: "half way",
        level: "INFO",
        source: "USER",
        timestamp: new Date(T0).toISOString(),
      });
      // A heartbeat is not a change; the cancel after it is the last one heard.
      await writer.heartbeat(request.id, "w1", 10_000, T0 + 1);
      await writer.cancel(request.id, T0 + 2);
      await waitUntil(async () => heardByListener.length >= 5);
      assert.deepEqual(heardByListener, Array(5).fill(request.id));
      // The writer heard each of its writes once, when it made them; its own notifications were skipped.
      assert.deepEqual(heardByWriter, Array(5).fill(request.id));
    });

    it("calls made while the connections are cut wait for new ones, and LISTEN comes back", async () => {
      const name = `${schema}_cut`;
      const listener = track(createPostgresStore({ url: POSTGRES_URL, schema, name }));
      const writer = track(createPostgresStore({ url: POSTGRES_URL, schema, name }));
      const heard: string[] = [];
      listener.onChange((id) => heard.push(id));
      await waitUntil(async () => (await listenerCount(schema)) >= 1);
      const before = await writer.enqueue(newRequest());

      // What a server restart does to every open connection.
      const cut = await adminQuery(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1`,
        [`${name}-%`],
      );
      assert.ok(cut.length >= 2, "the writer's pool and the listener's connection were cut");
      const afterCut = await writer.enqueue(newRequest());
      assert.equal((await writer.get(before.id))?.status, "IN_QUEUE");
      assert.equal((await listener.get(afterCut.id))?.status, "IN_QUEUE");
      await waitUntil(async () => {
        const probe = await writer.enqueue(newRequest());
        await new Promise((resolve) => setTimeout(resolve, 100));
        return heard.includes(probe.id);
      });
    });

    it("cuts in the middle of a worker's calls fail none of them and lose nothing", async () => {
      const name = `${schema}_load`;
      const own = freshSchemaName();
      const store = createPostgresStore({ url: POSTGRES_URL, schema: own, name });
      try {
        await store.ready();
        const submitted = new Set<string>();
        let cutting = true;
        // Submits, reads, claims and completions without pause, as a busy worker and API would make.
        const busy = Array.from({ length: 4 }, async () => {
          while (cutting) {
            const request = await store.enqueue(newRequest());
            submitted.add(request.id);
            await store.get(request.id);
            const claimed = await store.claim(claimOptions("w", Date.now()));
            if (claimed === undefined) continue;
            await store.setProgress(claimed.id, "w", 0.5);
            const outcome = { result: RESULT, metrics: METRICS };
            assert.ok(await store.complete(claimed.id, "w", outcome, Date.now()));
          }
        });
        for (let i = 0; i < 30; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 60));
          await adminQuery(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1`,
            [`${name}-%`],
          );
        }
        cutting = false;
        await Promise.all(busy);
        for (const id of submitted) assert.ok(await store.get(id), `request ${id} was lost`);
        const billed = (await store.usage()).map((row) => row.requestId);
        assert.equal(new Set(billed).size, billed.length);
        assert.ok(billed.length > 0);
      } finally {
        await store.close();
        await dropSchema(own);
      }
    });
  });
}

/** Sessions LISTENing on the schema's channel. */
async function listenerCount(schema: string): Promise<number> {
  const rows = await adminQuery<{ n: number }>(
    `SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE query = $1`,
    [`LISTEN "shotline:${schema}"`],
  );
  return rows[0]?.n ?? 0;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
