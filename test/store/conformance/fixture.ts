import { randomUUID } from "node:crypto";
import { it } from "node:test";
import type { ClaimOptions, NewRequest, RequestRecord, RequestStore } from "../../../src/store/port.ts";

/** What an adapter's test file hands the conformance suite for each test. */
export interface StoreHarness {
  store: RequestStore;
  /** Opens another instance on the same database (the first may still be open), as a second process would. */
  reopen?: () => Promise<RequestStore>;
  /** Removes the database; every store instance has been closed by then. */
  cleanup(): Promise<void>;
}

export type OpenStore = () => Promise<StoreHarness>;

export interface Fixture {
  store: RequestStore;
  reopen: () => Promise<RequestStore>;
}

export const T0 = 1_700_000_000_000;
export const ENDPOINT = "fal-ai/kling-video/v3/turbo/pro/text-to-video";

/** A test with a fresh store; instances from `reopen` are closed with it. */
export function storeTest(
  open: OpenStore,
  name: string,
  body: (fixture: Fixture) => Promise<void>,
  options: { needsReopen?: boolean } = {},
): void {
  it(name, async (t) => {
    const harness = await open();
    const instances = [harness.store];
    try {
      const reopenStore = harness.reopen;
      if (options.needsReopen === true && reopenStore === undefined) {
        t.skip("the adapter cannot open a second instance on the same database");
        return;
      }
      const reopen = async (): Promise<RequestStore> => {
        if (reopenStore === undefined) throw new Error("reopen is not supported by this adapter");
        const store = await reopenStore();
        instances.push(store);
        return store;
      };
      await body({ store: harness.store, reopen });
    } finally {
      for (const store of instances) await store.close().catch(() => undefined);
      await harness.cleanup();
    }
  });
}

export function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    id: randomUUID(),
    endpointId: ENDPOINT,
    input: { prompt: "A lighthouse at dusk, waves crash, camera eases in slowly", duration: "5" },
    priority: "normal",
    startDeadline: null,
    billableSeconds: 5,
    pricePerSecond: 0.07,
    createdAt: T0,
    keyId: null,
    idempotencyKey: null,
    webhookUrl: null,
    origin: null,
    retentionSeconds: 7 * 24 * 3600,
    ...overrides,
  };
}

export async function enqueueMany(store: RequestStore, count: number, overrides: Partial<NewRequest> = {}) {
  const records: RequestRecord[] = [];
  for (let i = 0; i < count; i++) records.push(await store.enqueue(newRequest(overrides)));
  return records;
}

export function claimOptions(workerId: string, now: number, overrides: Partial<ClaimOptions> = {}) {
  return { workerId, now, leaseMs: 30_000, maxAttempts: 3, ...overrides } satisfies ClaimOptions;
}

export const METRICS = { inference_time: 12.5, billable_seconds: 5, cost_usd: 0.35 };
export const RESULT = { video: { url: "http://localhost/files/x/output.mp4", content_type: "video/mp4" } };
