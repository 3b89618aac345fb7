import { parseArgs } from "node:util";
import { ApiError } from "@fal-ai/client";
import { EXIT } from "./exit-codes.ts";
import { CLIENT_FLAGS, loadClientOptions } from "./options.ts";

export const USAGE_USAGE = `  usage [--json]                                       Your key's usage and budget (an admin key: every key's)`;

interface UsageRow {
  key_id: string | null;
  name: string | null;
  requests: number;
  billable_seconds: number;
  cost_usd: number;
  reserved_usd: number;
  budget_usd: number | null;
  remaining_usd: number | null;
}

/** `shotline usage`: what the server's `GET /v1/usage` says about the caller's key. */
export async function usageCommand(args: string[], env: Record<string, string | undefined>): Promise<number> {
  const { values } = parseArgs({ args, options: { ...CLIENT_FLAGS, json: { type: "boolean" } } });
  const { url, key } = await loadClientOptions(values, env);
  const response = await fetch(`${url}/v1/usage`, {
    headers: { accept: "application/json", ...(key !== undefined && { authorization: `Key ${key}` }) },
  });
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) throw new ApiError({ message: response.statusText, status: response.status, body });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(body)}\n`);
    return EXIT.ok;
  }
  // A plain key gets its own row; an admin key gets every key's and a total.
  const admin = body as { keys?: UsageRow[]; total?: { requests: number; cost_usd: number } };
  if (admin.keys) {
    console.table(admin.keys.map(tableRow));
    process.stdout.write(`total: ${admin.total?.requests ?? 0} requests, $${admin.total?.cost_usd ?? 0}\n`);
  } else {
    const row = body as UsageRow;
    const budget =
      row.budget_usd === null ? "no budget limit" : `budget $${row.budget_usd}, $${row.remaining_usd} left`;
    process.stdout.write(
      `${row.name ?? row.key_id ?? "no key (local mode)"}: ${row.requests} requests, ${row.billable_seconds} s, ` +
        `$${row.cost_usd} spent, $${row.reserved_usd} reserved; ${budget}\n`,
    );
  }
  return EXIT.ok;
}

const tableRow = (row: UsageRow) => ({
  key: row.name ?? row.key_id ?? "(no key)",
  requests: row.requests,
  seconds: row.billable_seconds,
  cost_usd: row.cost_usd,
  reserved_usd: row.reserved_usd,
  budget_usd: row.budget_usd,
  remaining_usd: row.remaining_usd,
});
