import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { describe, it } from "node:test";
import { InvalidKeyError } from "../../src/storage/errors.ts";
import type { FileStorage } from "../../src/storage/port.ts";

export interface StorageHarness {
  storage: FileStorage;
  /** Removes everything the storage holds. */
  cleanup(): Promise<void>;
}

export type OpenStorage = () => Promise<StorageHarness>;

export interface StorageCapabilities {
  /** The adapter offers `signedUrl`: those URLs are checked too. */
  signedUrls?: boolean;
}

export const INVALID_KEYS = [
  "../x",
  "a/../../b",
  "/etc/passwd",
  "a/b/c",
  "a/..",
  "../../etc/passwd",
  "a/.hidden",
  "a\\..\\b",
  "a",
  "",
  "a/",
  "/a",
];

interface Fixture {
  storage: FileStorage;
  /** A finished file on local disk, as a worker hands it to `put`. */
  source(content: string | Buffer): Promise<string>;
  key(name?: string): string;
}

/**
 * The behaviour every FileStorage adapter must show. `open` gives each test a fresh, empty storage.
 *
 * @example
 * describeStorageConformance("local", async () => {
 *   const root = await mkdtemp(join(tmpdir(), "files-"));
 *   return { storage: createLocalStorage({ root }), cleanup: () => rm(root, { recursive: true }) };
 * });
 */
export function describeStorageConformance(
  name: string,
  open: OpenStorage,
  capabilities: StorageCapabilities = {},
): void {
  const test = (title: string, body: (fixture: Fixture) => Promise<void>) =>
    it(title, async () => {
      const harness = await open();
      const sources = await mkdtemp(join(tmpdir(), "shotline-sources-"));
      try {
        await body({
          storage: harness.storage,
          source: async (content) => {
            const path = join(sources, randomUUID());
            await writeFile(path, content);
            return path;
          },
          key: (file = "output.mp4") => `${randomUUID()}/${file}`,
        });
      } finally {
        await rm(sources, { recursive: true, force: true });
        await harness.cleanup();
      }
    });

  describe(`FileStorage conformance: ${name}`, () => {
    test("put moves the file in and stat describes it", async ({ storage, source, key }) => {
      const k = key();
      const path = await source("0123456789");
      const stored = await storage.put(k, path, "video/mp4");
      assert.equal(stored.key, k);
      assert.equal(stored.size, 10);
      assert.equal(stored.contentType, "video/mp4");
      assert.match(stored.etag, /^"[^"]+"$/);
      assert.deepEqual(await storage.stat(k), stored);
      await assert.rejects(access(path), "the source was moved, not copied");
    });

    test("read returns the whole file or an inclusive byte range", async ({ storage, source, key }) => {
      const k = key();
      const content = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await storage.put(k, await source(content), "application/octet-stream");
      assert.deepEqual(await readAll(storage.read(k)), content);
      assert.deepEqual(await readAll(storage.read(k, { start: 2, end: 5 })), content.subarray(2, 6));
      assert.deepEqual(await readAll(storage.read(k, { start: 255, end: 255 })), content.subarray(255));
      assert.deepEqual(await readAll(storage.read(k, { start: 0, end: 0 })), content.subarray(0, 1));
    });

    test("a missing file has no stat and its read fails", async ({ storage, key }) => {
      const k = key();
      assert.equal(await storage.stat(k), undefined);
      await assert.rejects(readAll(storage.read(k)));
    });

    test("delete removes the file; deleting again is harmless", async ({ storage, source, key }) => {
      const k = key();
      const sibling = `${k.split("/")[0]}/poster.jpg`;
      await storage.put(k, await source("video"), "video/mp4");
      await storage.put(sibling, await source("image"), "image/jpeg");
      await storage.delete(k);
      assert.equal(await storage.stat(k), undefined);
      await assert.rejects(readAll(storage.read(k)));
      assert.equal((await storage.stat(sibling))?.size, 5, "the other file under the request stays");
      await storage.delete(k);
    });

    test("the etag changes when the content does", async ({ storage, source, key }) => {
      const k = key();
      const first = await storage.put(k, await source("aaaa"), "video/mp4");
      const sameSize = await storage.put(k, await source("bbbb"), "video/mp4");
      assert.notEqual(sameSize.etag, first.etag);
      assert.deepEqual(await readAll(storage.read(k)), Buffer.from("bbbb"));
      const longer = await storage.put(k, await source("cccccc"), "video/mp4");
      assert.notEqual(longer.etag, sameSize.etag);
      assert.equal((await storage.stat(k))?.etag, longer.etag);
      await storage.delete(k);
      const recreated = await storage.put(k, await source("dddddd"), "video/mp4");
      assert.notEqual(recreated.etag, longer.etag);
    });

    test("the etag stays put while the file does", async ({ storage, source, key }) => {
      const k = key();
      const stored = await storage.put(k, await source("stable"), "video/mp4");
      await readAll(storage.read(k));
      assert.equal((await storage.stat(k))?.etag, stored.etag);
    });

    test("keys that could leave the storage are refused everywhere", async ({ storage, source }) => {
      for (const bad of INVALID_KEYS) {
        const path = await source("secret");
        await assert.rejects(storage.put(bad, path, "text/plain"), InvalidKeyError, `put ${bad}`);
        await access(path); // a refused put leaves its source alone
        assert.equal(await storage.stat(bad), undefined, `stat ${bad}`);
        await assert.rejects(readAll(storage.read(bad)), InvalidKeyError, `read ${bad}`);
        await assert.rejects(storage.delete(bad), InvalidKeyError, `delete ${bad}`);
      }
      assert.equal(await storage.stat("etc/passwd"), undefined);
    });

    if (capabilities.signedUrls) {
      test("a signed URL serves the file and its ranges until it is deleted", async ({
        storage,
        source,
        key,
      }) => {
        const signedUrl = storage.signedUrl?.bind(storage);
        assert.ok(signedUrl, "the adapter offers signed URLs");
        const k = key();
        const content = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
        await storage.put(k, await source(content), "video/mp4");
        const url = await signedUrl(k, 60);

        const whole = await fetch(url);
        assert.equal(whole.status, 200);
        assert.equal(whole.headers.get("content-type"), "video/mp4");
        assert.deepEqual(Buffer.from(await whole.arrayBuffer()), content);
        const part = await fetch(url, { headers: { range: "bytes=10-13" } });
        assert.equal(part.status, 206);
        assert.deepEqual(Buffer.from(await part.arrayBuffer()), content.subarray(10, 14));

        await storage.delete(k);
        const gone = await fetch(url);
        await gone.arrayBuffer();
        assert.equal(gone.ok, false, `a deleted file is not served (${gone.status})`);
        for (const bad of INVALID_KEYS) {
          await assert.rejects(signedUrl(bad, 60), InvalidKeyError, `signedUrl ${bad}`);
        }
      });
    }
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
