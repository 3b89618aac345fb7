import { Hono } from "hono";
import { priceOf } from "../../contract/pricing.ts";
import { usageReport } from "../../jobs/usage-report.ts";
import type { AppEnv } from "../app-env.ts";
import { authenticate } from "../auth.ts";
import type { AppDeps } from "../deps.ts";

/**
 * `GET /v1/usage`: the caller's own usage; an admin key gets every key's, one entry per key
 * (`key_id: null` is requests made without a key, in local mode).
 */
export function usageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get("/usage", authenticate(deps.store, deps.auth), deps.limits.read, async (c) => {
    const caller = c.get("caller");
    if (!caller.admin) {
      const [usage] = await deps.store.usageByKey(caller.keyId);
      const key = caller.keyId === null ? undefined : await deps.store.findKey(caller.keyId);
      return c.json(usageReport(usage!, key));
    }
    const keys = new Map((await deps.store.listKeys()).map((key) => [key.id, key]));
    const rows = await deps.store.usageByKey();
    for (const id of keys.keys()) {
      if (!rows.some((row) => row.keyId === id))
        rows.push({ keyId: id, requests: 0, seconds: 0, costUsd: 0, reservedUsd: 0 });
    }
    const keysReport = rows.map((row) =>
      usageReport(row, row.keyId === null ? undefined : keys.get(row.keyId)),
    );
    const total = keysReport.reduce(
      (sum, row) => ({ requests: sum.requests + row.requests, cost_usd: sum.cost_usd + row.cost_usd }),
      { requests: 0, cost_usd: 0 },
    );
    return c.json({ keys: keysReport, total: { ...total, cost_usd: priceOf(total.cost_usd, 1) } });
  });
  return app;
}
