import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { createApiKey } from "../jobs/api-keys.ts";
import { usageReport } from "../jobs/usage-report.ts";
import { openStore } from "./adapters.ts";
import { UsageError } from "./usage-error.ts";

export const KEYS_USAGE = `  keys create --name NAME [--budget-usd N] [--admin]   Make an API key; prints key_id:secret once
  keys list [--json]                                   List keys with their usage and budgets
  keys revoke KEY_ID                                   Revoke a key (its calls get 401 from then on)
  keys usage [--json]                                  The usage ledger of every key, from the store`;

/** `shotline keys …`: works on the configured store whether or not a server is running. */
export async function keysCommand(config: Config, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const store = openStore(config);
  try {
    if (verb === "create") {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: "string" }, "budget-usd": { type: "string" }, admin: { type: "boolean" } },
        strict: true,
      });
      if (!values.name) throw new UsageError("keys create needs --name NAME");
      let budgetUsd: number | null = null;
      if (values["budget-usd"] !== undefined) {
        budgetUsd = Number(values["budget-usd"]);
        if (!Number.isFinite(budgetUsd) || budgetUsd < 0)
          throw new UsageError("--budget-usd must be a number ≥ 0");
      }
      const { token } = await createApiKey(store, {
        name: values.name,
        budgetUsd,
        admin: values.admin ?? false,
      });
      console.log(token);
      console.error("Keep this key now: its secret is stored hashed and cannot be shown again.");
      return 0;
    }
    if (verb === "list") {
      const { values } = parseArgs({ args: rest, options: { json: { type: "boolean" } }, strict: true });
      const keys = await store.listKeys();
      const usage = new Map((await store.usageByKey()).map((u) => [u.keyId, u]));
      const rows = keys.map((key) => ({
        key_id: key.id,
        name: key.name,
        admin: key.admin,
        budget_usd: key.budgetUsd,
        cost_usd: usage.get(key.id)?.costUsd ?? 0,
        reserved_usd: usage.get(key.id)?.reservedUsd ?? 0,
        created_at: new Date(key.createdAt).toISOString(),
        revoked_at: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
      }));
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log("No keys. Make one with: shotline keys create --name NAME");
      else console.table(rows);
      return 0;
    }
    if (verb === "revoke") {
      const [keyId] = rest;
      if (!keyId) throw new UsageError("keys revoke needs a KEY_ID");
      if (!(await store.revokeKey(keyId, Date.now()))) {
        console.error(`No active key ${keyId}`);
        return 1;
      }
      console.log(`Revoked ${keyId}`);
      return 0;
    }
    if (verb === "usage") {
      const { values } = parseArgs({ args: rest, options: { json: { type: "boolean" } }, strict: true });
      const keys = new Map((await store.listKeys()).map((key) => [key.id, key]));
      const rows = (await store.usageByKey()).map((row) =>
        usageReport(row, row.keyId === null ? undefined : keys.get(row.keyId)),
      );
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log("No usage yet.");
      else console.table(rows);
      return 0;
    }
    throw new UsageError(`Unknown keys verb: ${verb ?? "(none)"}`);
  } finally {
    await store.close();
  }
}
