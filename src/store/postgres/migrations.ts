import type pg from "pg";
import type { Migration } from "../migration.ts";

/**
 * The PostgreSQL schema as numbered migrations, the same list as SQLite's (a version means the
 * same tables and columns in both dialects) written in PostgreSQL's own terms: BIGINT epoch
 * milliseconds, identity sequences, `FOR UPDATE SKIP LOCKED`-friendly partial indexes, and the
 * triggers that send change notifications. A released migration never changes.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "init",
    sql: `
      CREATE TABLE requests (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        endpoint_id TEXT NOT NULL,
        -- JSON kept as text: it reads back byte for byte (idempotency compares it), jsonb would not.
        input TEXT NOT NULL,
        priority TEXT NOT NULL CHECK (priority IN ('normal', 'low')),
        priority_rank SMALLINT GENERATED ALWAYS AS (CASE priority WHEN 'normal' THEN 0 ELSE 1 END) STORED,
        status TEXT NOT NULL CHECK (status IN ('IN_QUEUE', 'IN_PROGRESS', 'COMPLETED')),
        attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_expires_at BIGINT,
        start_deadline BIGINT,
        billable_seconds DOUBLE PRECISION NOT NULL,
        price_per_second DOUBLE PRECISION NOT NULL,
        created_at BIGINT NOT NULL,
        started_at BIGINT,
        completed_at BIGINT,
        progress DOUBLE PRECISION,
        not_before BIGINT,
        result TEXT,
        error TEXT,
        metrics TEXT
      );
      CREATE INDEX requests_queue ON requests (priority_rank, seq) WHERE status = 'IN_QUEUE';
      CREATE INDEX requests_deadline ON requests (start_deadline)
        WHERE status = 'IN_QUEUE' AND start_deadline IS NOT NULL;
      CREATE INDEX requests_lease ON requests (lease_expires_at) WHERE status = 'IN_PROGRESS';

      CREATE TABLE request_logs (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        message TEXT NOT NULL,
        level TEXT NOT NULL,
        "timestamp" TEXT NOT NULL
      );
      CREATE INDEX request_logs_request ON request_logs (request_id, seq);

      CREATE TABLE usage (
        -- Insertion order, for listing (SQLite's rowid).
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        -- The primary key is what makes a second bill for the same request impossible.
        request_id TEXT PRIMARY KEY REFERENCES requests (id),
        endpoint_id TEXT NOT NULL,
        seconds DOUBLE PRECISION NOT NULL,
        price_per_second DOUBLE PRECISION NOT NULL,
        cost_usd DOUBLE PRECISION NOT NULL,
        created_at BIGINT NOT NULL
      );

      -- Every process LISTENs on 'shotline:<schema>'. The payload is the writer's application_name
      -- (one per store instance) and the request id, so that an instance skips its own writes,
      -- which it has already reported. Sent at commit, never for a rolled-back write.
      CREATE FUNCTION shotline_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('shotline:' || TG_TABLE_SCHEMA,
          current_setting('application_name') || ' ' || (to_jsonb(NEW) ->> TG_ARGV[0]));
        RETURN NULL;
      END $$;
      CREATE TRIGGER requests_inserted AFTER INSERT ON requests
        FOR EACH ROW EXECUTE FUNCTION shotline_notify_change('id');
      -- A heartbeat only moves lease_expires_at: nothing a caller of the API can see.
      CREATE TRIGGER requests_changed AFTER UPDATE ON requests FOR EACH ROW
        WHEN ((OLD.status, OLD.attempts, OLD.lease_owner, OLD.progress, OLD.not_before, OLD.result, OLD.error)
          IS DISTINCT FROM (NEW.status, NEW.attempts, NEW.lease_owner, NEW.progress, NEW.not_before, NEW.result,
            NEW.error))
        EXECUTE FUNCTION shotline_notify_change('id');
      CREATE TRIGGER request_logs_inserted AFTER INSERT ON request_logs
        FOR EACH ROW EXECUTE FUNCTION shotline_notify_change('request_id');
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
        admin BOOLEAN NOT NULL DEFAULT FALSE,
        budget_usd DOUBLE PRECISION,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
      );

      ALTER TABLE requests
        ADD COLUMN key_id TEXT,
        ADD COLUMN idempotency_key TEXT,
        ADD COLUMN webhook_url TEXT,
        ADD COLUMN origin TEXT,
        ADD COLUMN retention_seconds INTEGER NOT NULL DEFAULT 604800,
        ADD COLUMN files_expire_at BIGINT,
        ADD COLUMN files_deleted_at BIGINT;
      -- Local mode's requests have no key: '' stands for it, so that their keys are unique too.
      CREATE UNIQUE INDEX requests_idempotency ON requests (COALESCE(key_id, ''), idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX requests_open_by_key ON requests (key_id) WHERE status <> 'COMPLETED';
      CREATE INDEX requests_files_expiry ON requests (files_expire_at)
        WHERE files_expire_at IS NOT NULL AND files_deleted_at IS NULL;

      ALTER TABLE usage ADD COLUMN key_id TEXT;
      CREATE INDEX usage_by_key ON usage (key_id);

      CREATE TABLE webhook_deliveries (
        request_id TEXT PRIMARY KEY REFERENCES requests (id),
        url TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_expires_at BIGINT,
        delivered_at BIGINT,
        failed_at BIGINT,
        last_error TEXT
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE delivered_at IS NULL AND failed_at IS NULL;
      -- Every way a request ends passes through here, in the same transaction (see SQLite's trigger).
      CREATE FUNCTION shotline_webhook_outbox() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO webhook_deliveries (request_id, url, next_attempt_at)
        VALUES (NEW.id, NEW.webhook_url, NEW.completed_at) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER requests_webhook_outbox AFTER UPDATE OF status ON requests FOR EACH ROW
        WHEN (NEW.status = 'COMPLETED' AND OLD.status <> 'COMPLETED' AND NEW.webhook_url IS NOT NULL)
        EXECUTE FUNCTION shotline_webhook_outbox();
      -- Files deleted: a change callers see (the file URL now answers 410).
      CREATE TRIGGER requests_files_deleted AFTER UPDATE OF files_deleted_at ON requests FOR EACH ROW
        WHEN (OLD.files_deleted_at IS NULL AND NEW.files_deleted_at IS NOT NULL)
        EXECUTE FUNCTION shotline_notify_change('id');

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        private_key_pem TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "workers",
    sql: `
      CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        engines TEXT NOT NULL,
        endpoint_ids TEXT NOT NULL,
        concurrency INTEGER NOT NULL,
        health_url TEXT,
        heartbeat_interval_ms INTEGER NOT NULL,
        started_at BIGINT NOT NULL,
        heartbeat_at BIGINT NOT NULL
      );
    `,
  },
];

/**
 * Brings `schema` (created if missing) up to the last migration in one transaction under an
 * advisory lock, so that processes starting together apply each migration exactly once. DDL is
 * transactional in PostgreSQL: a failed migration leaves the schema as it was.
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  const quoted = client.escapeIdentifier(schema);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`shotline-migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT MAX(version) AS version FROM ${quoted}.schema_migrations`,
    );
    const current = rows[0]?.version ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) {
      // A newer Shotline migrated this schema; running older code on it could corrupt it.
      throw new Error(`Database schema version ${current} is newer than this build knows (${latest})`);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO ${quoted}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, Date.now()],
      );
    }
    await client.query("COMMIT");
    return latest;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
