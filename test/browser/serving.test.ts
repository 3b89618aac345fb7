import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { playgroundRoutes } from "../../src/server/routes/playground.ts";

describe("playground route", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shotline-playground-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("without a bundle, / says how to build it (never a 500)", async () => {
    const app = playgroundRoutes(path.join(dir, "not-built"));
    const page = await app.request("/");
    assert.equal(page.status, 404);
    assert.match(page.headers.get("content-type") ?? "", /text\/plain/);
    assert.match(await page.text(), /npm run build/);
    assert.equal((await app.request("/assets/index-abc.js")).status, 404);
  });

  it("serves index.html to revalidate and hashed assets to keep", async () => {
    const bundle = path.join(dir, "dist");
    await mkdir(path.join(bundle, "assets"), { recursive: true });
    await writeFile(path.join(bundle, "index.html"), "<!doctype html><title>t</title>");
    await writeFile(path.join(bundle, "assets", "index-abc.js"), "export {};");
    await writeFile(path.join(dir, "secret.txt"), "no");
    const app = playgroundRoutes(bundle);

    const page = await app.request("/");
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("cache-control"), "no-cache");
    assert.equal(await page.text(), "<!doctype html><title>t</title>");
    const asset = await app.request("/assets/index-abc.js");
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("content-type") ?? "", /javascript/);
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(await asset.text(), "export {};");
    for (const outside of [
      "/assets/../../secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt",
    ]) {
      assert.equal((await app.request(outside)).status, 404, outside);
    }
    assert.equal((await app.request("/", { method: "POST" })).status, 404, "POST / is not the page's");
  });
});
