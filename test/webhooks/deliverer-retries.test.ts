import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { completeRequest, sleep, startReceiver, tempStore, testDeliverer, type Receiver } from "./support.ts";

describe("webhook deliverer: failures, backoff and restarts", () => {
  let fixture: Awaited<ReturnType<typeof tempStore>>;
  const receivers: Receiver[] = [];
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };
  beforeEach(async () => void (fixture = await tempStore()));
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await fixture.cleanup();
  });

  it("retries a receiver that fails three times with exponential backoff, then delivers once", async () => {
    const flaky = await receiver((_delivery, index) => (index < 3 ? 500 : 200));
    const id = await completeRequest(fixture.store, { webhookUrl: flaky.url });
    const { deliverer, waitForOutcomes } = testDeliverer({ store: fixture.store, backoffBaseMs: 50 });
    deliverer.start();
    try {
      const outcomes = await waitForOutcomes(4);
      assert.deepEqual(
        outcomes.map((o) => [o.outcome, o.attempt]),
        [
          ["retry", 1],
          ["retry", 2],
          ["retry", 3],
          ["delivered", 4],
        ],
      );
      assert.match(outcomes[0]?.error ?? "", /^HTTP 500: answer 500$/);
      await sleep(300); // long enough for a fifth attempt, had the delivery not been recorded
    } finally {
      await deliverer.stop();
    }
    assert.equal(flaky.received.length, 4);
    // Each retry waited at least 50 ms · 2^(n-1) after the failed attempt before it.
    const gaps = flaky.received.slice(1).map((d, i) => d.at - (flaky.received[i]?.at ?? 0));
    gaps.forEach((gap, i) => assert.ok(gap >= 50 * 2 ** i, `gap ${i + 1} was ${gap} ms`));
    // The body is the same delivery each time; the timestamp and signature are fresh.
    assert.equal(new Set(flaky.received.map((d) => d.body)).size, 1);
    const state = await fixture.store.webhookState(id);
    assert.equal(state?.attempts, 4);
    assert.ok(state?.deliveredAt);
    assert.equal(state?.failedAt, null);
  });

  it("loses no delivery across a restart between attempts, and sends none after success", async () => {
    const flaky = await receiver((_delivery, index) => (index === 0 ? 503 : 200));
    const id = await completeRequest(fixture.store, { webhookUrl: flaky.url });

    const first = testDeliverer({ store: fixture.store, backoffBaseMs: 200 });
    first.deliverer.start();
    assert.deepEqual(
      (await first.waitForOutcomes(1)).map((o) => o.outcome),
      ["retry"],
    );
    await first.deliverer.stop();
    await fixture.store.close();
    assert.equal(flaky.received.length, 1);

    // A new process: another store instance on the same file, another deliverer.
    const reopened = fixture.reopen();
    const second = testDeliverer({ store: reopened, backoffBaseMs: 200 });
    second.deliverer.start();
    try {
      assert.deepEqual(
        (await second.waitForOutcomes(1)).map((o) => [o.outcome, o.attempt]),
        [["delivered", 2]],
      );
    } finally {
      await second.deliverer.stop();
    }
    // The retry honoured the backoff recorded before the restart.
    assert.ok((flaky.received[1]?.at ?? 0) - (flaky.received[0]?.at ?? 0) >= 200);

    // And yet another process finds nothing left to send.
    const third = testDeliverer({ store: fixture.reopen() });
    third.deliverer.start();
    await sleep(500);
    await third.deliverer.stop();
    assert.equal(third.outcomes.length, 0);
    assert.equal(flaky.received.length, 2);
    const state = await reopened.webhookState(id);
    assert.equal(state?.attempts, 2);
    assert.ok(state?.deliveredAt);
  });

  it("counts a receiver that never answers as a failed attempt after the timeout", async () => {
    const silent = await receiver(() => undefined);
    const id = await completeRequest(fixture.store, { webhookUrl: silent.url });
    const { deliverer, waitForOutcomes } = testDeliverer({
      store: fixture.store,
      timeoutMs: 200,
      backoffBaseMs: 10_000,
    });
    const startedAt = Date.now();
    deliverer.start();
    try {
      const [outcome] = await waitForOutcomes(1);
      assert.equal(outcome?.outcome, "retry");
      assert.match(outcome?.error ?? "", /no answer within 200 ms/);
      assert.ok(Date.now() - startedAt >= 200);
    } finally {
      await deliverer.stop();
    }
    assert.equal(silent.received.length, 1);
    const state = await fixture.store.webhookState(id);
    assert.equal(state?.attempts, 1);
    assert.equal(state?.deliveredAt, null);
    assert.equal(state?.failedAt, null);
    assert.match(state?.lastError ?? "", /no answer within 200 ms/);
  });

  it("gives up after maxAttempts and never tries again", async () => {
    const down = await receiver(() => 503);
    const id = await completeRequest(fixture.store, { webhookUrl: down.url });
    const { deliverer, waitForOutcomes, outcomes } = testDeliverer({
      store: fixture.store,
      maxAttempts: 3,
      backoffBaseMs: 20,
    });
    deliverer.start();
    try {
      await waitForOutcomes(3);
      await sleep(300);
    } finally {
      await deliverer.stop();
    }
    assert.deepEqual(
      outcomes.map((o) => o.outcome),
      ["retry", "retry", "failed"],
    );
    assert.equal(down.received.length, 3);
    const state = await fixture.store.webhookState(id);
    assert.equal(state?.attempts, 3);
    assert.ok(state?.failedAt);
    assert.equal(state?.deliveredAt, null);
    assert.match(state?.lastError ?? "", /^HTTP 503/);
  });

  it("retries a receiver that refuses connections (network error)", async () => {
    const gone = await receiver(() => 200);
    const url = gone.url;
    await gone.close();
    receivers.splice(receivers.indexOf(gone), 1);
    const id = await completeRequest(fixture.store, { webhookUrl: url });
    const { deliverer, waitForOutcomes } = testDeliverer({
      store: fixture.store,
      maxAttempts: 2,
      backoffBaseMs: 20,
    });
    deliverer.start();
    try {
      const outcomes = await waitForOutcomes(2);
      assert.deepEqual(
        outcomes.map((o) => o.outcome),
        ["retry", "failed"],
      );
      assert.match(outcomes[0]?.error ?? "", /ECONNREFUSED/);
    } finally {
      await deliverer.stop();
    }
    assert.equal((await fixture.store.webhookState(id))?.attempts, 2);
  });
});
