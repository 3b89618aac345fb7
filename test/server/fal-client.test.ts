import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError, createFalClient, ValidationError, type FalClient } from "@fal-ai/client";
import { ENDPOINT, startServer, type ServerProcess } from "../support/server-process.ts";

interface Video {
  url: string;
  width: number;
  height: number;
  num_frames: number;
}

/** The official client, unchanged, pointed at Shotline through its `proxyUrl` hook. */
describe("@fal-ai/client against a Shotline origin", () => {
  let server: ServerProcess;
  let fal: FalClient;
  before(async () => {
    server = await startServer();
    fal = createFalClient({ proxyUrl: { url: `${server.url}/fal/proxy`, when: "always" } });
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it("subscribe (polling) reports queue updates with logs and returns the video", async () => {
    const statuses: string[] = [];
    const messages: string[] = [];
    const result = await fal.subscribe(ENDPOINT, {
      input: { prompt: "A lone astronaut floats past a ringed planet", duration: "3", aspect_ratio: "1:1" },
      logs: true,
      pollInterval: 100,
      onQueueUpdate: (update) => {
        statuses.push(update.status);
        if (update.status !== "IN_QUEUE") messages.push(...update.logs.map((l) => l.message));
      },
    });
    const video = (result.data as { video: Video }).video;
    assert.deepEqual([video.width, video.height, video.num_frames], [1440, 1440, 72]);
    assert.match(result.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(statuses.at(-1), "COMPLETED");
    assert.ok(messages.some((m) => /previz/.test(m)));
    const file = await fetch(video.url);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("content-type"), "video/mp4");
  });

  it("subscribe in streaming mode gets events with logs", async () => {
    const updates: { status: string; logs?: { message: string }[] }[] = [];
    const result = await fal.subscribe(ENDPOINT, {
      input: {
        multi_prompt: [
          { prompt: "a beach at dawn", duration: "1" },
          { prompt: "a city at night", duration: "2" },
        ],
      },
      logs: true,
      mode: "streaming",
      onQueueUpdate: (update) => updates.push(update as (typeof updates)[number]),
    });
    const video = (result.data as { video: Video }).video;
    assert.equal(video.num_frames, 72);
    assert.equal(updates.at(-1)?.status, "COMPLETED");
    const logged = updates.at(-1)?.logs?.map((l) => l.message) ?? [];
    assert.ok(
      logged.some((m) => /shot 1\/2/.test(m)) && logged.some((m) => /shot 2\/2/.test(m)),
      logged.join("\n"),
    );
  });

  it("queue submit / status / result / cancel", async () => {
    const { request_id } = await fal.queue.submit(ENDPOINT, {
      input: { prompt: "rain on a window", duration: "3" },
    });
    const status = await fal.queue.status(ENDPOINT, { requestId: request_id, logs: true });
    assert.ok(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"].includes(status.status));
    await fal.queue.subscribeToStatus(ENDPOINT, { requestId: request_id, pollInterval: 100 });
    const result = await fal.queue.result(ENDPOINT, { requestId: request_id });
    assert.equal((result.data as { video: Video }).video.num_frames, 72);
    assert.equal(result.requestId, request_id);

    const long = await fal.queue.submit(ENDPOINT, { input: { prompt: "a long take", duration: "15" } });
    await fal.queue.cancel(ENDPOINT, { requestId: long.request_id });
    const cancelled = await fal.queue.status(ENDPOINT, { requestId: long.request_id, logs: false });
    assert.equal(cancelled.status, "COMPLETED");
    await assert.rejects(fal.queue.cancel(ENDPOINT, { requestId: long.request_id }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      return true;
    });
  });

  it("run waits for the result", async () => {
    const result = await fal.run(ENDPOINT, {
      input: { prompt: "fireflies over a lake", duration: "3", aspect_ratio: "9:16" },
    });
    const video = (result.data as { video: Video }).video;
    assert.deepEqual([video.width, video.height], [1080, 1920]);
    assert.match(result.requestId, /^[0-9a-f-]{36}$/);
  });

  it("turns a 422 into a ValidationError whose fieldErrors name the field", async () => {
    await assert.rejects(
      fal.queue.submit(ENDPOINT, {
        input: {
          multi_prompt: [
            { prompt: "a", duration: "9" },
            { prompt: "b", duration: "9" },
          ],
        },
      }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.status, 422);
        assert.equal(error.getFieldErrors("multi_prompt").length, 1);
        return true;
      },
    );
    await assert.rejects(fal.run(ENDPOINT, { input: { aspect_ratio: "4:3" } as never }), (error: unknown) => {
      assert.ok(error instanceof ValidationError);
      assert.match(error.getFieldErrors("aspect_ratio")[0]?.msg ?? "", /'16:9', '9:16' or '1:1'/);
      return true;
    });
  });
});
