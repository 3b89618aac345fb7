import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitFor,
  type ServerProcess,
} from "../support/server-process.ts";

/**
 * The protocol around the queue, on a real server process with no worker: requests stay queued
 * until the test cancels them or their start deadline passes.
 */
describe("queue protocol (API process without a worker)", () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServer({ SHOTLINE_WORKER: "off", SHOTLINE_KEEPALIVE_SECONDS: "0.2" });
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  const submit = (body: unknown, headers: Record<string, string> = {}) =>
    postJson(`${server.url}/queue/${ENDPOINT}`, body, headers);

  it("answers a submit with absolute URLs of this origin and an exact queue position", async () => {
    const { response, body } = await submit({ prompt: "a lighthouse at dusk", duration: "3" });
    assert.equal(response.status, 200);
    const id = body.request_id as string;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(response.headers.get("x-fal-request-id"), id);
    const base = `${server.url}/queue/fal-ai/kling-video/requests/${id}`;
    assert.deepEqual(body, {
      request_id: id,
      response_url: base,
      status_url: `${base}/status`,
      cancel_url: `${base}/cancel`,
      queue_position: body.queue_position,
      status: "IN_QUEUE",
    });
    assert.equal(typeof body.queue_position, "number");

    const status = await getJson(`${base}/status`);
    assert.equal(status.response.status, 202);
    assert.equal(status.body.status, "IN_QUEUE");
    assert.equal(status.body.logs, null, "logs key present and null without ?logs=1");
    const withLogs = await getJson(`${base}/status?logs=1`);
    assert.ok(Array.isArray(withLogs.body.logs));
    // Also reachable under the full endpoint id.
    const full = await getJson(`${server.url}/queue/${ENDPOINT}/requests/${id}/status?logs=true`);
    assert.equal(full.response.status, 202);
    assert.equal(full.body.request_id, id);

    const early = await getJson(base);
    assert.equal(early.response.status, 400);
    assert.deepEqual(early.body, { detail: "Request is still in progress" });
    assert.equal((await getJson(`${base}/response`)).response.status, 400);
    await fetch(`${base}/cancel`, { method: "PUT" });
  });

  it("orders low priority after normal, and positions stay exact as requests leave", async () => {
    const a = (await submit({ prompt: "a" })).body;
    const low = (await submit({ prompt: "low" }, { "x-fal-queue-priority": "low" })).body;
    const c = (await submit({ prompt: "c" }, { "x-fal-queue-priority": "normal" })).body;
    const position = async (receipt: Record<string, unknown>) =>
      (await getJson(receipt.status_url as string)).body.queue_position;
    const [pa, pl, pc] = [await position(a), await position(low), await position(c)];
    assert.equal(pc, (pa as number) + 1);
    assert.equal(pl, (pc as number) + 1, "the low-priority request waits behind both normal ones");

    const cancel = await fetch(a.cancel_url as string, { method: "PUT" });
    assert.equal(cancel.status, 202);
    assert.deepEqual(await cancel.json(), { status: "CANCELLATION_REQUESTED" });
    assert.equal(await position(c), pa);
    assert.equal(await position(low), (pa as number) + 1);

    const ended = await getJson(a.status_url as string);
    assert.equal(ended.response.status, 200);
    assert.equal(ended.body.status, "COMPLETED");
    assert.equal(ended.body.error_type, "cancelled");
    assert.equal(ended.body.queue_position, null);
    const result = await getJson(a.response_url as string);
    assert.equal(result.response.status, 400);
    assert.equal(result.body.error_type, "cancelled");

    const again = await fetch(a.cancel_url as string, { method: "PUT" });
    assert.equal(again.status, 400);
    assert.deepEqual(await again.json(), { status: "ALREADY_COMPLETED" });
    for (const r of [low, c]) await fetch(r.cancel_url as string, { method: "PUT" });
  });

  it("ends a request that did not start before x-fal-request-timeout with a 504", async () => {
    const { body } = await submit({ prompt: "late" }, { "x-fal-request-timeout": "0.3" });
    const done = await waitFor(async () => {
      const status = await getJson(body.status_url as string);
      return status.body.status === "COMPLETED" ? status.body : undefined;
    }, 10_000);
    assert.equal(done.error_type, "request_timeout");
    const result = await fetch(body.response_url as string);
    assert.equal(result.status, 504);
    assert.equal(result.headers.get("x-fal-request-timeout-type"), "user");
    assert.equal(result.headers.get("x-fal-error-type"), "request_timeout");
    assert.equal(((await result.json()) as { error_type: string }).error_type, "request_timeout");
  });

  it("answers 404 NOT_FOUND for an unknown request id on every route", async () => {
    const base = `${server.url}/queue/fal-ai/kling-video/requests/00000000-0000-4000-8000-000000000000`;
    for (const [url, method] of [
      [`${base}/status`, "GET"],
      [`${base}/status/stream`, "GET"],
      [base, "GET"],
      [`${base}/response`, "GET"],
      [`${base}/cancel`, "PUT"],
    ] as const) {
      const response = await fetch(url, { method });
      assert.equal(response.status, 404, `${method} ${url}`);
      assert.equal(((await response.json()) as { status: string }).status, "NOT_FOUND");
      assert.ok(response.headers.get("x-fal-request-id"));
    }
    // A request is not found under another app's prefix either.
    const { body } = await submit({});
    const foreign = await fetch(`${server.url}/queue/someone/else/requests/${body.request_id}/status`);
    assert.equal(foreign.status, 404);
    await fetch(body.cancel_url as string, { method: "PUT" });
  });

  it("rejects bad input with 422 naming the field, and enqueues nothing", async () => {
    const before = (await submit({})).body;
    await fetch(before.cancel_url as string, { method: "PUT" });
    const cases: [unknown, (string | number)[]][] = [
      [{ prompt: "a", multi_prompt: [{ prompt: "b" }] }, ["body", "multi_prompt"]],
      [{ multi_prompt: [] }, ["body", "multi_prompt"]],
      [
        { multi_prompt: Array.from({ length: 7 }, () => ({ prompt: "s", duration: "1" })) },
        ["body", "multi_prompt"],
      ],
      [
        {
          multi_prompt: [
            { prompt: "a", duration: "8" },
            { prompt: "b", duration: "8" },
          ],
        },
        ["body", "multi_prompt"],
      ],
      [
        { multi_prompt: [{ prompt: "a" }, { prompt: "b" }, { prompt: "c", duration: "0" }] },
        ["body", "multi_prompt", 2, "duration"],
      ],
      [{ aspect_ratio: "4:3" }, ["body", "aspect_ratio"]],
      [{ duration: "20" }, ["body", "duration"]],
      [{ prompt: "p".repeat(3073) }, ["body", "prompt"]],
      [[1, 2], ["body"]],
      ["{not json", ["body"]],
    ];
    for (const [body, loc] of cases) {
      const { response, body: answer } = await submit(body);
      assert.equal(response.status, 422, JSON.stringify(body).slice(0, 60));
      const detail = answer.detail as { loc: unknown[]; msg: string }[];
      assert.deepEqual(detail[0]?.loc, loc, JSON.stringify(body).slice(0, 60));
      assert.ok(detail[0]?.msg.length, "a readable message");
    }
    const header = await submit({}, { "x-fal-queue-priority": "urgent" });
    assert.equal(header.response.status, 422);
    assert.deepEqual((header.body.detail as { loc: unknown[] }[])[0]?.loc, [
      "header",
      "x-fal-queue-priority",
    ]);
    const tooBig = await submit({ prompt: "x".repeat(1024 * 1024 + 10) });
    assert.equal(tooBig.response.status, 413);
    // The sync route validates the same way, on both of its URL forms.
    assert.equal((await postJson(`${server.url}/run/${ENDPOINT}`, { duration: "2" })).response.status, 422);
    assert.equal((await postJson(`${server.url}/${ENDPOINT}`, { aspect_ratio: "2:1" })).response.status, 422);

    // Nothing was enqueued: the next request's position is what it was before the rejections.
    const next = (await submit({})).body;
    assert.equal(next.queue_position, before.queue_position);
    await fetch(next.cancel_url as string, { method: "PUT" });
  });

  it("reads a body sent without a JSON content type, as curl --data does", async () => {
    const response = await fetch(`${server.url}/queue/${ENDPOINT}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: '{"duration":"4"}',
    });
    assert.equal(response.status, 200);
    const receipt = (await response.json()) as Record<string, string>;
    await fetch(receipt.cancel_url!, { method: "PUT" });
    const empty = await fetch(`${server.url}/queue/${ENDPOINT}`, { method: "POST" });
    assert.equal(empty.status, 200, "no body at all is the empty input {}");
    await fetch(((await empty.json()) as Record<string, string>).cancel_url!, { method: "PUT" });
  });

  it("streams status events with keep-alives and closes after COMPLETED", async () => {
    const { body } = await submit({ prompt: "stream me" });
    const response = await fetch(`${body.status_url}/stream?logs=1`, {
      headers: { accept: "application/json, text/event-stream" },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (predicate: () => boolean) => {
      while (!predicate()) {
        const { value, done } = await reader.read();
        if (done) return true;
        text += decoder.decode(value);
      }
      return false;
    };
    await readUntil(() => (text.match(/: keep-alive/g) ?? []).length >= 2);
    await fetch(body.cancel_url as string, { method: "PUT" });
    const closed = await readUntil(() => false);
    assert.ok(closed, "stream closed by the server");
    const events = text
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
    assert.equal(events[0]?.status, "IN_QUEUE");
    assert.equal(events.at(-1)?.status, "COMPLETED");
    assert.equal(events.at(-1)?.error_type, "cancelled");
    assert.equal(events.filter((e) => e.status === "COMPLETED").length, 1);
  });

  it("serves /fal/proxy for fal's hosts only, answering in fal's URL space", async () => {
    const proxied = await postJson(
      `${server.url}/fal/proxy`,
      { prompt: "via proxy" },
      {
        "x-fal-target-url": `https://queue.fal.run/${ENDPOINT}`,
      },
    );
    assert.equal(proxied.response.status, 200);
    const id = proxied.body.request_id as string;
    assert.equal(proxied.body.status_url, `https://queue.fal.run/fal-ai/kling-video/requests/${id}/status`);
    const status = await getJson(`${server.url}/fal/proxy`, {
      headers: {
        "x-fal-target-url": `https://queue.fal.run/fal-ai/kling-video/requests/${id}/status?logs=1`,
      },
    });
    assert.equal(status.response.status, 202);
    assert.equal(status.body.request_id, id);
    const cancel = await fetch(`${server.url}/fal/proxy`, {
      method: "PUT",
      headers: { "x-fal-target-url": `https://queue.fal.run/fal-ai/kling-video/requests/${id}/cancel` },
    });
    assert.equal(cancel.status, 202);

    for (const target of [
      "https://evil.example/steal",
      "http://queue.fal.run/x",
      "https://fal.run.evil.example/x",
      "nonsense",
    ]) {
      const refused = await postJson(`${server.url}/fal/proxy`, {}, { "x-fal-target-url": target });
      assert.equal(refused.response.status, 400, target);
      assert.match(String(refused.body.detail), /x-fal-target-url/);
    }
    const missing = await postJson(`${server.url}/fal/proxy`, {});
    assert.equal(missing.response.status, 400);
  });

  it("answers CORS preflights and exposes x-fal-request-id", async () => {
    const preflight = await fetch(`${server.url}/queue/${ENDPOINT}`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, x-fal-queue-priority",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /x-fal-queue-priority/);
    const health = await fetch(`${server.url}/healthz`, { headers: { origin: "https://app.example" } });
    assert.match(health.headers.get("access-control-expose-headers") ?? "", /x-fal-request-id/);
    assert.ok(health.headers.get("x-fal-request-id"));
  });

  it("publishes OpenAPI 3.1 from the contract and a health check naming the engine", async () => {
    const { body } = await getJson(`${server.url}/openapi.json`);
    assert.equal(body.openapi, "3.1.0");
    const schemas = (body.components as { schemas: Record<string, { properties?: Record<string, unknown> }> })
      .schemas;
    assert.ok(schemas.KlingV3MultiPromptElement, "shot schema named like fal's");
    assert.deepEqual(
      (schemas.KlingVideoV3TurboProTextToVideoInput?.properties?.aspect_ratio as { enum: string[] }).enum,
      ["16:9", "9:16", "1:1"],
    );
    assert.ok((body.paths as Record<string, unknown>)[`/queue/${ENDPOINT}`]);
    assert.deepEqual((await getJson(`${server.url}/livez`)).body, { status: "ok" });
    const health = await getJson(`${server.url}/healthz`);
    const endpoints = health.body.endpoints as { id: string; engine: string; engine_description: string }[];
    assert.equal(endpoints[0]?.id, ENDPOINT);
    assert.equal(endpoints[0]?.engine, "previz");
    assert.match(endpoints[0]?.engine_description ?? "", /not a neural model/i);
  });
});
