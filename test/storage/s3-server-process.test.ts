import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { presignedUrlFacts, startS3Server, type S3Server } from "../support/s3-server.ts";
import {
  ENDPOINT,
  getJson,
  postJson,
  startServer,
  waitCompleted,
  waitFor,
  type ServerProcess,
} from "../support/server-process.ts";

interface VideoFile {
  url: string;
  file_size: number;
  content_type: string;
}

const SHOT = {
  prompt: "A lighthouse at dusk, waves below, the camera pulls back",
  duration: "3",
  aspect_ratio: "1:1",
};

describe("output files on S3 through a server process (s3rver)", () => {
  let s3: S3Server;
  before(async () => void (s3 = await startS3Server()));
  after(() => s3.stop());

  /** A server process whose files live in a fresh bucket; stopped and emptied after `body`. */
  async function withServer(
    env: Record<string, string>,
    body: (server: ServerProcess, bucket: string) => Promise<void>,
  ): Promise<void> {
    const bucket = await s3.createBucket();
    const server = await startServer({ ...s3.env(bucket), ...env });
    try {
      await body(server, bucket);
    } finally {
      await server.stop();
      await server.cleanup();
      await s3.removeBucket(bucket);
    }
  }

  async function objectBytes(bucket: string, key: string): Promise<Buffer> {
    const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  async function render(server: ServerProcess): Promise<{ id: string; video: VideoFile }> {
    const { response, body } = await postJson(`${server.url}/run/${ENDPOINT}`, SHOT);
    assert.equal(response.status, 200, JSON.stringify(body));
    return { id: response.headers.get("x-fal-request-id")!, video: body.video as VideoFile };
  }

  const resultUrlOf = (server: ServerProcess, id: string) =>
    `${server.url}/queue/fal-ai/kling-video/requests/${id}`;

  function assertMp4(bytes: Buffer, video: VideoFile) {
    assert.equal(bytes.length, video.file_size);
    assert.equal(bytes.subarray(4, 8).toString("latin1"), "ftyp", "an MP4 starts with its ftyp box");
  }

  it("proxied: the result URL streams the MP4 from the bucket through /files", async () => {
    await withServer({ SHOTLINE_FILE_URLS: "proxied" }, async (server, bucket) => {
      const { id, video } = await render(server);
      const key = `${id}/output.mp4`;
      assert.equal(video.url, `${server.url}/files/${key}`);

      const stored = await objectBytes(bucket, key);
      assertMp4(stored, video);
      const file = await fetch(video.url);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get("content-type"), "video/mp4");
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), stored);

      const part = await fetch(video.url, { headers: { range: "bytes=100-1099" } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get("content-range"), `bytes 100-1099/${stored.length}`);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), stored.subarray(100, 1100));

      const etag = file.headers.get("etag")!;
      const again = await fetch(video.url, { headers: { "if-none-match": etag } });
      assert.equal(again.status, 304);
      assert.deepEqual(await readdir(path.join(server.dataDir, "files")), [], "nothing on local disk");
    });
  });

  it("presigned: result URLs are S3 URLs signed at each read, and /files redirects to one", async () => {
    const env = { SHOTLINE_FILE_URLS: "presigned", SHOTLINE_PRESIGN_SECONDS: "600" };
    await withServer(env, async (server, bucket) => {
      const { id, video } = await render(server);
      const key = `${id}/output.mp4`;
      assert.ok(video.url.startsWith(`${s3.endpoint}/${bucket}/${key}?`), video.url);
      const facts = presignedUrlFacts(video.url, s3.secretAccessKey);
      assert.equal(facts.signatureMatches, true, "signed with the configured secret");
      assert.equal(facts.accessKeyId, s3.accessKeyId);
      assert.equal(facts.expiresAt.getTime() - facts.signedAt.getTime(), 600_000);

      const stored = await objectBytes(bucket, key);
      assertMp4(stored, video);
      const file = await fetch(video.url);
      assert.equal(file.status, 200);
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), stored);

      // X-Amz-Date counts seconds: a read in a later second must carry a later signature.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const { body: reread } = await getJson(resultUrlOf(server, id));
      const later = presignedUrlFacts((reread.video as VideoFile).url, s3.secretAccessKey);
      assert.equal(later.signatureMatches, true);
      assert.ok(later.signedAt > facts.signedAt, "signed when read, not when stored");

      const redirect = await fetch(`${server.url}/files/${key}`, { redirect: "manual" });
      assert.equal(redirect.status, 302);
      const location = redirect.headers.get("location")!;
      assert.ok(location.startsWith(`${s3.endpoint}/${bucket}/${key}?`), location);
      assert.equal(presignedUrlFacts(location, s3.secretAccessKey).signatureMatches, true);
      const followed = await fetch(`${server.url}/files/${key}`);
      assert.deepEqual(Buffer.from(await followed.arrayBuffer()), stored);
    });
  });

  it("retention deletes the object from the bucket; the file URL then answers 410", async () => {
    const env = {
      SHOTLINE_FILE_URLS: "presigned",
      SHOTLINE_PRESIGN_SECONDS: "600",
      SHOTLINE_RETENTION_SWEEP_SECONDS: "0.3",
    };
    await withServer(env, async (server, bucket) => {
      const { body } = await postJson(`${server.url}/queue/${ENDPOINT}`, SHOT, {
        "x-fal-object-lifecycle-preference": JSON.stringify({ expiration_duration_seconds: 8 }),
      });
      const id = body.request_id as string;
      const key = `${id}/output.mp4`;
      await waitCompleted(body.status_url as string);
      await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const { body: live } = await getJson(body.response_url as string);
      const liveUrl = (live.video as VideoFile).url;
      assert.ok(liveUrl.startsWith(`${s3.endpoint}/${bucket}/${key}?`), liveUrl);
      const facts = presignedUrlFacts(liveUrl, s3.secretAccessKey);
      assert.ok(facts.expiresAt.getTime() - facts.signedAt.getTime() <= 8000, "never outlives the file");

      const gone = await waitFor(async () => {
        const response = await fetch(`${server.url}/files/${key}`, { redirect: "manual" });
        return response.status === 410 ? response : undefined;
      }, 30_000);
      assert.match(((await gone.json()) as { detail: string }).detail, /expired .* deleted/);
      await assert.rejects(
        s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
        (error: Error) => error.name === "NotFound",
      );
      const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket }));
      assert.deepEqual(listed.Contents ?? [], [], "the bucket is empty");

      const { body: swept } = await getJson(body.response_url as string);
      const url = (swept.video as VideoFile).url;
      assert.equal(url, `${server.url}/files/${key}`, "a deleted file is not presigned");
      assert.equal((await fetch(url)).status, 410);
    });
  });
});
