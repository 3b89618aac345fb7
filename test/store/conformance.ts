import { describe } from "node:test";
import { describeAccounts } from "./conformance/accounts.ts";
import { describeConcurrency } from "./conformance/concurrency.ts";
import type { OpenStore } from "./conformance/fixture.ts";
import { describeLeases } from "./conformance/leases.ts";
import { describeOutcomes } from "./conformance/outcomes.ts";
import { describeQueue } from "./conformance/queue.ts";
import { describeWorkers } from "./conformance/workers.ts";

export type { OpenStore, StoreHarness } from "./conformance/fixture.ts";

/**
 * The behaviour every RequestStore adapter must show. `open` gives each test a fresh, empty
 * database; `reopen` (when the adapter can) opens a second instance on that same database.
 *
 * @example
 * describeStoreConformance("sqlite", async () => {
 *   const dir = await mkdtemp(join(tmpdir(), "shotline-"));
 *   const path = join(dir, "store.db");
 *   return { store: createSqliteStore({ path }), reopen: async () => createSqliteStore({ path }),
 *     cleanup: () => rm(dir, { recursive: true }) };
 * });
 */
export function describeStoreConformance(name: string, open: OpenStore): void {
  describe(`RequestStore conformance: ${name}`, () => {
    describeQueue(open);
    describeLeases(open);
    describeOutcomes(open);
    describeConcurrency(open);
    describeAccounts(open);
    describeWorkers(open);
  });
}
