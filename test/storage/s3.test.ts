import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { createS3Storage, type S3Storage } from "../../src/storage/s3.ts";
import { presignedUrlFacts, startS3Server, type S3Server } from "../support/s3-server.ts";
import { describeStorageConformance, readAll } from "./conformance.ts";

describe("S3 storage against s3rver", () => {
  let s3: S3Server;
  before(async () => void (s3 = await startS3Server()));
  after(() => s3.stop());

  const storageIn = (bucket: string): S3Storage =>
    createS3Storage({
      bucket,
      region: s3.region,
      endpoint: s3.endpoint,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
    });

  describeStorageConformance(
    "S3 (s3rver)",
    async () => {
      const bucket = await s3.createBucket();
      const storage = storageIn(bucket);
      return {
        storage,
        cleanup: async () => {
          storage.destroy();
          await s3.removeBucket(bucket);
        },
      };
    },
    { signedUrls: true },
  );

  describe("S3 specifics", () => {
    let bucket = "";
    let storage: S3Storage;
    let dir = "";
    before(async () => {
      bucket = await s3.createBucket();
      storage = storageIn(bucket);
      dir = await mkdtemp(join(tmpdir(), "shotline-s3-"));
    });
    after(async () => {
      storage.destroy();
      await s3.removeBucket(bucket);
      await rm(dir, { recursive: true, force: true });
    });

    it("stores the object under the key itself, with its content type", async () => {
      const key = `${randomUUID()}/output.mp4`;
      const source = join(dir, "layout");
      await writeFile(source, "mp4 bytes");
      await storage.put(key, source, "video/mp4");
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(head.ContentLength, 9);
      assert.equal(head.ContentType, "video/mp4");
    });

    it("streams a file of several megabytes in and out byte for byte", async () => {
      const key = `${randomUUID()}/output.mp4`;
      const content = randomBytes(6 * 1024 * 1024 + 7);
      const source = join(dir, "big");
      await writeFile(source, content);
      const stored = await storage.put(key, source, "video/mp4");
      assert.equal(stored.size, content.length);
      const direct = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      assert.deepEqual(Buffer.from(await direct.Body!.transformToByteArray()), content);
      assert.deepEqual(await readAll(storage.read(key)), content);
      const tail = { start: content.length - 1000, end: content.length - 1 };
      assert.deepEqual(await readAll(storage.read(key, tail)), content.subarray(tail.start));
    });

    it("keeps the source when the upload fails, so that the put can be tried again", async () => {
      const missingBucket = storageIn(`shotline-missing-${randomUUID()}`);
      try {
        const source = join(dir, "kept");
        await writeFile(source, "precious");
        await assert.rejects(missingBucket.put(`${randomUUID()}/output.mp4`, source, "video/mp4"));
        await access(source);
      } finally {
        missingBucket.destroy();
      }
    });

    it("fails a read of a missing object through the stream", async () => {
      await assert.rejects(readAll(storage.read(`${randomUUID()}/output.mp4`)), /NoSuchKey|not exist/i);
    });

    it("signs URLs with the configured credentials for the lifetime asked", async () => {
      const key = `${randomUUID()}/output.mp4`;
      const source = join(dir, "signed");
      await writeFile(source, "signed bytes");
      await storage.put(key, source, "video/mp4");
      const before = Date.now();
      const url = await storage.signedUrl(key, 900);
      assert.ok(url.startsWith(`${s3.endpoint}/${bucket}/${key}?`), url);
      const facts = presignedUrlFacts(url, s3.secretAccessKey);
      // s3rver does not check SigV4 signatures: the test does, from the specification.
      assert.equal(facts.signatureMatches, true);
      assert.equal(presignedUrlFacts(url, "another secret").signatureMatches, false);
      const tampered = url.replace(`/${key}?`, `/${key.replace("output", "other")}?`);
      assert.equal(presignedUrlFacts(tampered, s3.secretAccessKey).signatureMatches, false);
      assert.equal(facts.accessKeyId, s3.accessKeyId);
      assert.equal(facts.region, s3.region);
      assert.equal(facts.expiresAt.getTime() - facts.signedAt.getTime(), 900_000);
      // X-Amz-Date counts whole seconds.
      assert.ok(facts.signedAt.getTime() >= before - 1000, "signed when asked");
    });
  });
});
