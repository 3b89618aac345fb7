import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createLocalStorage } from "../../src/storage/local.ts";
import { describeStorageConformance, readAll } from "./conformance.ts";

describeStorageConformance("local directory", async () => {
  const root = await mkdtemp(join(tmpdir(), "shotline-files-"));
  return { storage: createLocalStorage({ root }), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describe("local storage specifics", () => {
  let dir = "";
  before(async () => void (dir = await mkdtemp(join(tmpdir(), "shotline-local-"))));
  after(() => rm(dir, { recursive: true, force: true }));

  it("lays files out as root/<request id>/<file> and removes the emptied folder", async () => {
    const root = join(dir, "layout", "files");
    const storage = createLocalStorage({ root });
    const id = randomUUID();
    const source = join(dir, "source.mp4");
    await writeFile(source, "mp4 bytes");
    await storage.put(`${id}/output.mp4`, source, "video/mp4");
    assert.equal((await stat(join(root, id, "output.mp4"))).size, 9);
    assert.deepEqual(await readdir(root), [id]);

    await storage.delete(`${id}/output.mp4`);
    assert.deepEqual(await readdir(root), [], "the request's folder goes with its last file");
  });

  it("leaves no temporary files beside a stored file", async () => {
    const root = join(dir, "clean");
    const storage = createLocalStorage({ root });
    const id = randomUUID();
    const source = join(dir, "clean-source");
    await writeFile(source, "x");
    await storage.put(`${id}/a.mp4`, source, "video/mp4");
    const names = await readdir(join(root, id));
    assert.deepEqual(
      names.filter((name) => name.endsWith(".tmp")),
      [],
    );
  });

  it("moves a file across filesystems by copy and rename", async (t) => {
    const shm = "/dev/shm";
    const onOtherDevice = await stat(shm)
      .then(async (info) => info.dev !== (await stat(dir)).dev)
      .catch(() => false);
    if (!onOtherDevice) {
      t.skip("no second filesystem to move from");
      return;
    }
    const sources = await mkdtemp(join(shm, "shotline-"));
    try {
      const source = join(sources, "output.mp4");
      await writeFile(source, "from another device");
      const storage = createLocalStorage({ root: join(dir, "cross") });
      const key = `${randomUUID()}/output.mp4`;
      const stored = await storage.put(key, source, "video/mp4");
      assert.equal(stored.size, 19);
      assert.deepEqual(await readAll(storage.read(key)), Buffer.from("from another device"));
      await assert.rejects(stat(source), "the source is removed after the copy");
    } finally {
      await rm(sources, { recursive: true, force: true });
    }
  });

  it("reports a content type it did not record as application/octet-stream", async () => {
    const root = join(dir, "untyped");
    const id = randomUUID();
    await rm(root, { recursive: true, force: true });
    const storage = createLocalStorage({ root });
    const source = join(dir, "untyped-source");
    await writeFile(source, "bytes");
    await storage.put(`${id}/file.bin`, source, "video/mp4");
    await rm(join(root, id, ".file.bin.type"));
    assert.equal((await storage.stat(`${id}/file.bin`))?.contentType, "application/octet-stream");
  });
});
