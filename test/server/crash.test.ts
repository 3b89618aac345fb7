import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { probeVideo } from "../../src/media/probe.ts";
import { defaultMediaTools } from "../../src/media/tools.ts";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitCompleted,
  waitFor,
} from "../support/server-process.ts";

describe("crash safety", () => {
  it("a request rendering when the server is killed -9 completes after a restart, billed once", async () => {
    const env = { SHOTLINE_LEASE_SECONDS: "1" };
    const first = await startServer(env);
    const rendering = (
      await postJson(`${first.url}/queue/${ENDPOINT}`, { prompt: "a storm over the ocean", duration: "5" })
    ).body;
    const queued = (
      await postJson(`${first.url}/queue/${ENDPOINT}`, { prompt: "a quiet room", duration: "3" })
    ).body;
    await waitFor(async () => {
      const { body } = await getJson(rendering.status_url as string);
      return body.status === "IN_PROGRESS" && (body.progress as number) > 0 ? true : undefined;
    });
    await first.kill9();

    const second = await startServer(env, first.dataDir);
    try {
      for (const receipt of [rendering, queued]) {
        const statusUrl = (receipt.status_url as string).replace(first.url, second.url);
        const done = await waitCompleted(statusUrl, 120_000);
        assert.equal(done.error, undefined, JSON.stringify(done));
        const { body } = await getJson(statusUrl.replace(/\/status$/, ""));
        const video = body.video as { url: string; num_frames: number };
        const file = await fetch(video.url);
        assert.equal(file.status, 200);
        const local = path.join(first.dataDir, "files", ...new URL(video.url).pathname.split("/").slice(2));
        const probe = await probeVideo(defaultMediaTools().ffprobePath, local);
        assert.equal(probe.numFrames, video.num_frames);
      }
      const db = new Database(path.join(first.dataDir, "shotline.db"), { readonly: true });
      const billed = db.prepare("SELECT request_id, COUNT(*) AS n FROM usage GROUP BY request_id").all() as {
        request_id: string;
        n: number;
      }[];
      const attempts = db.prepare("SELECT attempts FROM requests WHERE id = ?").get(rendering.request_id) as {
        attempts: number;
      };
      db.close();
      assert.deepEqual(
        billed.map((row) => [row.request_id, row.n]).sort(),
        [
          [rendering.request_id, 1],
          [queued.request_id, 1],
        ].sort(),
      );
      assert.equal(attempts.attempts, 2, "the killed attempt counted, the second finished it");
    } finally {
      await second.stop();
      await second.cleanup();
    }
  });

  it("SIGTERM gives a running request back to the queue at once when there is no grace, and a restart finishes it", async () => {
    const env = { SHOTLINE_SHUTDOWN_GRACE_SECONDS: "0" };
    const first = await startServer(env);
    const receipt = (
      await postJson(`${first.url}/queue/${ENDPOINT}`, { prompt: "a slow pan over hills", duration: "10" })
    ).body;
    await waitFor(async () => {
      const { body } = await getJson(receipt.status_url as string);
      return body.status === "IN_PROGRESS" ? true : undefined;
    });
    const stoppedAt = Date.now();
    assert.equal(await first.stop(), 0, "clean exit");
    assert.ok(Date.now() - stoppedAt < 5_000, "did not wait for the render to finish");
    const db = new Database(path.join(first.dataDir, "shotline.db"), { readonly: true });
    const row = db.prepare("SELECT status, attempts FROM requests WHERE id = ?").get(receipt.request_id);
    db.close();
    assert.deepEqual(row, { status: "IN_QUEUE", attempts: 0 }, "released without spending an attempt");

    const second = await startServer(env, first.dataDir);
    try {
      const done = await waitCompleted((receipt.status_url as string).replace(first.url, second.url));
      assert.equal(done.error, undefined);
    } finally {
      await second.stop();
      await second.cleanup();
    }
  });
});
