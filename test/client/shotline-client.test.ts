import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ApiError, ValidationError } from "@fal-ai/client";
import { createShotlineClient } from "../../src/client/shotline-client.ts";
import { runCli } from "../cli/support.ts";
import { ENDPOINT, startServer, waitFor, type ServerProcess } from "../support/server-process.ts";

interface Video {
  width: number;
  height: number;
  num_frames: number;
}

/** The official client, configured by `createShotlineClient`, against a server that wants keys. */
describe("createShotlineClient", () => {
  let server: ServerProcess;
  let key: string;
  const paths = () => server.logs.filter((line) => line.msg === "request").map((line) => String(line.path));
  /** The server's access log lines arrive through a pipe, a little after the answers they describe. */
  const pathsSince = (from: number, last: string) =>
    waitFor(async () => {
      const called = paths().slice(from);
      return called.includes(last) ? called : undefined;
    }, 10_000);
  before(async () => {
    server = await startServer({ SHOTLINE_AUTH: "required" });
    const made = await runCli(["keys", "create", "--name", "library"], { SHOTLINE_DATA_DIR: server.dataDir });
    key = made.stdout.trim();
  });
  after(async () => {
    await server.stop();
    await server.cleanup();
  });

  it("subscribe (streaming) talks to Shotline's queue routes directly, with the key", async () => {
    const shotline = createShotlineClient({ url: `${server.url}/`, key });
    const before = paths().length;
    const result = await shotline.subscribe(ENDPOINT, {
      input: { prompt: "A lighthouse at dusk, the camera pulls back", duration: "3", aspect_ratio: "1:1" },
      mode: "streaming",
    });
    const video = (result.data as { video: Video }).video;
    assert.deepEqual([video.width, video.height, video.num_frames], [1440, 1440, 72]);
    const requestPath = `/queue/fal-ai/kling-video/requests/${result.requestId}`;
    const called = await pathsSince(before, requestPath);
    assert.ok(called.includes(`/queue/${ENDPOINT}`), called.join("\n"));
    assert.ok(called.includes(`${requestPath}/status/stream`), called.join("\n"));
    assert.ok(!called.some((p) => p.startsWith("/fal/proxy")), "no proxy hop");
  });

  it("run goes to /run, and the server's answers keep their fal error classes", async () => {
    const shotline = createShotlineClient({ url: server.url, key });
    const before = paths().length;
    const result = await shotline.run(ENDPOINT, {
      input: { prompt: "fireflies over a lake", duration: "3" },
    });
    assert.equal((result.data as { video: Video }).video.num_frames, 72);
    assert.ok(await pathsSince(before, `/run/${ENDPOINT}`));

    await assert.rejects(
      shotline.queue.submit(ENDPOINT, { input: { prompt: "x", aspect_ratio: "4:3" } }),
      (error: unknown) =>
        error instanceof ValidationError && error.getFieldErrors("aspect_ratio").length === 1,
    );
    const stranger = createShotlineClient({ url: server.url, key: "nobody:nothing" });
    await assert.rejects(
      stranger.queue.submit(ENDPOINT, { input: { prompt: "x" } }),
      (error: unknown) => error instanceof ApiError && error.status === 401,
    );
  });

  it("refuses calls Shotline does not serve instead of sending the key elsewhere", async () => {
    let asked = false;
    const shotline = createShotlineClient({
      url: server.url,
      key,
      fetch: (input, init) => {
        asked = true;
        return fetch(input, init);
      },
    });
    await assert.rejects(shotline.storage.upload(new Blob(["not a video"])), /queue and run APIs only/);
    assert.equal(asked, false, "nothing left the process");
  });
});
