import { priceOf } from "../contract/pricing.ts";
import { BudgetExceededError } from "./port.ts";
import type { KeyUsage, NewRequest } from "./port.ts";

/** Budget and usage arithmetic shared by the SQL adapters: each reads the sums, this decides. */

export interface BudgetState {
  /** Null: no limit. */
  budget: number | null;
  spent: number;
  reserved: number;
}

/** Throws BudgetExceededError when the request's price does not fit in what is left. */
export function refuseOverBudget(state: BudgetState | undefined, request: NewRequest): void {
  if (!state || state.budget === null) return;
  const price = priceOf(request.billableSeconds, request.pricePerSecond);
  const remaining = state.budget - state.spent - state.reserved;
  // A millionth of a dollar of slack: prices are rounded to that.
  if (price > remaining + 1e-6) throw new BudgetExceededError(price, remaining);
}

export interface UsageSum {
  key_id: string | null;
  requests: number;
  seconds: number;
  cost: number;
}

export interface ReservedSum {
  key_id: string | null;
  reserved: number;
}

/** Usage per key from the usage sums and the open reservations (one key when `keyId` is given). */
export function keyUsage(
  usage: readonly UsageSum[],
  reserved: readonly ReservedSum[],
  keyId?: string | null,
): KeyUsage[] {
  const byKey = new Map<string | null, KeyUsage>();
  const entry = (id: string | null) => {
    let found = byKey.get(id);
    if (!found) byKey.set(id, (found = { keyId: id, requests: 0, seconds: 0, costUsd: 0, reservedUsd: 0 }));
    return found;
  };
  for (const row of usage) {
    Object.assign(entry(row.key_id), {
      requests: row.requests,
      seconds: row.seconds,
      costUsd: priceOf(row.cost, 1),
    });
  }
  for (const row of reserved) entry(row.key_id).reservedUsd = priceOf(row.reserved, 1);
  const all = [...byKey.values()];
  if (keyId === undefined) return all;
  return [byKey.get(keyId) ?? { keyId, requests: 0, seconds: 0, costUsd: 0, reservedUsd: 0 }];
}
