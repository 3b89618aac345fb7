import type { Database } from "better-sqlite3";
import type { Migration } from "../migration.ts";

/**
 * The SQLite schema as numbered migrations (see migration.ts); `schema_migrations` records which
 * ones a database has. PostgreSQL has the same versions in its own dialect (postgres/migrations.ts).
 */
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
  {
    version: 2,
    name: "accounts",
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        admin INTEGER NOT NULL DEFAULT 0,
        budget_usd REAL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );

      ALTER TABLE requests ADD COLUMN key_id TEXT;
      ALTER TABLE requests ADD COLUMN idempotency_key TEXT;
      ALTER TABLE requests ADD COLUMN webhook_url TEXT;
      ALTER TABLE requests ADD COLUMN origin TEXT;
      ALTER TABLE requests ADD COLUMN retention_seconds INTEGER NOT NULL DEFAULT 604800;
      ALTER TABLE requests ADD COLUMN files_expire_at INTEGER;
      ALTER TABLE requests ADD COLUMN files_deleted_at INTEGER;
      CREATE UNIQUE INDEX requests_idempotency ON requests (key_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      -- Open reservations of a key: its requests that have not ended.
      CREATE INDEX requests_open_by_key ON requests (key_id) WHERE status <> 'COMPLETED';
      CREATE INDEX requests_files_expiry ON requests (files_expire_at)
        WHERE files_expire_at IS NOT NULL AND files_deleted_at IS NULL;

      ALTER TABLE usage ADD COLUMN key_id TEXT;
      CREATE INDEX usage_by_key ON usage (key_id);

      CREATE TABLE webhook_deliveries (
        request_id TEXT PRIMARY KEY REFERENCES requests (id),
        url TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires_at INTEGER,
        delivered_at INTEGER,
        failed_at INTEGER,
        last_error TEXT
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE delivered_at IS NULL AND failed_at IS NULL;
      -- Every way a request ends (result, error, cancel, timeout, lost worker) passes through here,
      -- in the same transaction: a webhook can never be lost between the end and the outbox.
      CREATE TRIGGER requests_webhook_outbox AFTER UPDATE OF status ON requests
      WHEN NEW.status = 'COMPLETED' AND OLD.status <> 'COMPLETED' AND NEW.webhook_url IS NOT NULL
      BEGIN
        INSERT OR IGNORE INTO webhook_deliveries (request_id, url, next_attempt_at)
        VALUES (NEW.id, NEW.webhook_url, NEW.completed_at);
      END;

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        private_key_pem TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "workers",
    sql: `
      -- Engines and endpoint ids are JSON arrays: read whole, never searched.
      CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        engines TEXT NOT NULL,
        endpoint_ids TEXT NOT NULL,
        concurrency INTEGER NOT NULL,
        health_url TEXT,
        heartbeat_interval_ms INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
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
