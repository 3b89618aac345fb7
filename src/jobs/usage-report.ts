import { priceOf } from "../contract/pricing.ts";
import type { ApiKeyRecord, KeyUsage } from "../store/port.ts";

/** A key's usage and what is left of its budget, as `GET /v1/usage` and `shotline usage` show it. */
export function usageReport(usage: KeyUsage, key: ApiKeyRecord | undefined) {
  const budget = key?.budgetUsd ?? null;
  return {
    key_id: usage.keyId,
    name: key?.name ?? null,
    requests: usage.requests,
    billable_seconds: usage.seconds,
    cost_usd: usage.costUsd,
    reserved_usd: usage.reservedUsd,
    budget_usd: budget,
    remaining_usd: budget === null ? null : priceOf(budget - usage.costUsd - usage.reservedUsd, 1),
  };
}
