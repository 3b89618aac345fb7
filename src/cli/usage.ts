import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { usageReport } from "../jobs/usage-report.ts";
import { openStore } from "./adapters.ts";

export const USAGE_USAGE = `  usage [--json]                                       Usage and budgets of every key, from the store`;

/** `shotline usage`: the operator's view of the usage ledger, grouped by key. */
export async function usageCommand(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" } }, strict: true });
  const store = openStore(config);
  try {
    const keys = new Map((await store.listKeys()).map((key) => [key.id, key]));
    const rows = (await store.usageByKey()).map((row) =>
      usageReport(row, row.keyId === null ? undefined : keys.get(row.keyId)),
    );
    if (values.json) console.log(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) console.log("No usage yet.");
    else console.table(rows);
    return 0;
  } finally {
    await store.close();
  }
}
