import type { Database } from "better-sqlite3";

/**
 * The SQLite schema as numbered migrations. A migration, once released, never changes: a schema
 * change is a new entry at the end. `schema_migrations` records which ones a database has.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "init",
    sql: `
      CREATE TABLE requests (
        -- seq is the arrival order and the rowid. Without AUTOINCREMENT a new rowid is still above
        -- every existing one, which is all ordering needs, and a commit writes one page fewer.
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        endpoint_id TEXT NOT NULL,
        input TEXT NOT NULL,
        priority TEXT NOT NULL CHECK (priority IN ('normal', 'low')),
        priority_rank INTEGER GENERATED ALWAYS AS (CASE priority WHEN 'normal' THEN 0 ELSE 1 END) VIRTUAL,
        status TEXT NOT NULL CHECK (status IN ('IN_QUEUE', 'IN_PROGRESS', 'COMPLETED')),
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_expires_at INTEGER,
        start_deadline INTEGER,
        billable_seconds REAL NOT NULL,
        price_per_second REAL NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        completed_at INTEGER,
        progress REAL,
        -- A retried attempt waits in the queue until then; NULL means claimable at once.
        not_before INTEGER,
        result TEXT,
        error TEXT,
        metrics TEXT
      );
      -- Claim order and queue position: a range scan over queued requests only.
      CREATE INDEX requests_queue ON requests (priority_rank, seq) WHERE status = 'IN_QUEUE';
      CREATE INDEX requests_deadline ON requests (start_deadline)
        WHERE status = 'IN_QUEUE' AND start_deadline IS NOT NULL;
      CREATE INDEX requests_lease ON requests (lease_expires_at) WHERE status = 'IN_PROGRESS';

      CREATE TABLE request_logs (
        -- Above every existing seq (see requests.seq), so a reader's "after" never misses an entry.
        seq INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        message TEXT NOT NULL,
        level TEXT NOT NULL,
        timestamp TEXT NOT NULL
      );
      CREATE INDEX request_logs_request ON request_logs (request_id, seq);

      -- The primary key is what makes a second bill for the same request impossible.
      CREATE TABLE usage (
        request_id TEXT PRIMARY KEY REFERENCES requests (id),
        endpoint_id TEXT NOT NULL,
        seconds REAL NOT NULL,
        price_per_second REAL NOT NULL,
        cost_usd REAL NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
];

/**
 * Brings the database up to the last migration, in one IMMEDIATE transaction so that processes
 * opening the same file at once apply each migration exactly once.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const applyPending = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const row = db.prepare("SELECT MAX(version) AS version FROM schema_migrations").get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) {
      // A newer Shotline migrated this file; running older code on it could corrupt it.
      throw new Error(`Database schema version ${current} is newer than this build knows (${latest})`);
    }
    const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }
    return latest;
  });
  return applyPending.immediate();
}
