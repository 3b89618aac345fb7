import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { ENDPOINT, getJson, postJson, startServer, type ServerProcess } from "../support/server-process.ts";
import {
  buildPlayground,
  collectPageErrors,
  GENERATE,
  launchChromium,
  openPlayground,
  screenshot,
} from "./support/playground.ts";

const run = promisify(execFile);
const MAIN = path.resolve(import.meta.dirname, "../../src/cli/main.ts");

async function createKey(dataDir: string, name: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", MAIN, "keys", "create", "--name", name],
    {
      env: { ...process.env, SHOTLINE_DATA_DIR: dataDir },
    },
  );
  return stdout.trim();
}

/**
 * A server that wants keys, and no worker: requests stay queued, so queue positions and
 * cancelling are seen without racing a render.
 */
describe("playground with SHOTLINE_AUTH=required", () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let alice: string;
  let bob: string;

  before(async () => {
    await buildPlayground();
    server = await startServer({ SHOTLINE_AUTH: "required", SHOTLINE_WORKER: "off" });
    alice = await createKey(server.dataDir, "alice");
    bob = await createKey(server.dataDir, "bob");
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    pageErrors = collectPageErrors(page, [401]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await server?.cleanup();
  });

  const keyReason = () => page.locator("[data-key-reason]");

  it("asks for a key, keeps it in the browser, and submits with it", async () => {
    // One request ahead of the page's.
    const ahead = await postJson(
      `${server.url}/queue/${ENDPOINT}`,
      { prompt: "first" },
      {
        authorization: `Key ${alice}`,
      },
    );
    assert.equal(ahead.response.status, 200);

    await openPlayground(page, server.url);
    assert.match((await keyReason().textContent()) ?? "", /Missing credentials/);
    await screenshot(page, "keys-1-asked");

    await page.fill("#api-key", "not-a-key");
    await page.click(".key-panel button[type=submit]");
    await page.waitForSelector("[data-key-reason]:text('Malformed')");

    await page.fill("#api-key", alice);
    await page.click(".key-panel button[type=submit]");
    await keyReason().waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => localStorage.getItem("shotline.apiKey")), alice);
    assert.match((await page.textContent(".key-status")) ?? "", new RegExp(alice.slice(0, 8)));
    // The snippets send the key too (by name, never its value).
    assert.match((await page.textContent("[data-snippet=curl]")) ?? "", /Authorization: Key \$FAL_KEY/);
    assert.ok(!((await page.textContent("[data-snippet=curl]")) ?? "").includes(alice.split(":")[1]!));

    await page.fill("#prompt", "a lighthouse at dusk");
    await page.click(GENERATE);
    await page.waitForSelector("[data-run-status]:text('In queue · position 2 (1 ahead)')");
    const requestId = (await page.getAttribute(".run-panel", "data-request-id"))!;
    const statusUrl = `${server.url}/queue/fal-ai/kling-video/requests/${requestId}/status`;
    const asAlice = await getJson(statusUrl, { headers: { authorization: `Key ${alice}` } });
    assert.equal(asAlice.response.status, 202);
    assert.equal(asAlice.body.queue_position, 1);
    assert.equal((await fetch(statusUrl)).status, 401);
    await screenshot(page, "keys-2-queued");

    await page.click("button.cancel");
    await page.waitForSelector("[data-run-status]:text('Cancelled')");
    assert.match((await page.textContent(".run-error")) ?? "", /cancelled/);
    const after = await getJson(statusUrl, { headers: { authorization: `Key ${alice}` } });
    assert.equal(after.body.error_type, "cancelled");
    await page.waitForSelector(`[data-history-entry="${requestId}"]:has-text('Request was cancelled')`);

    // Kept across a reload: no question asked, the history is there.
    await page.reload();
    await page.waitForSelector(`[data-history-entry="${requestId}"]`);
    assert.equal(await keyReason().count(), 0);
    assert.deepEqual(pageErrors, []);
  });

  it("shows each key its own history, and resubmits after a 401", async () => {
    const aliceEntries = await page.locator("[data-history-entry]").count();
    assert.ok(aliceEntries > 0);
    await page.click(".key-status button");
    await keyReason().waitFor();
    assert.equal(await page.locator("[data-history-entry]").count(), 0, "alice's requests are not shown");

    // Submitting without a key: the 401 asks for one, and the submit goes through once given.
    await page.fill("#prompt", "rain on a window");
    const refused = page.waitForResponse((response) => response.request().method() === "POST");
    await page.click(GENERATE);
    assert.equal((await refused).status(), 401);
    await page.waitForSelector("[data-key-reason]:text('Missing credentials')");
    await page.fill("#api-key", bob);
    await page.click(".key-panel button[type=submit]");
    await page.waitForSelector("[data-run-status]:text('In queue')");
    const requestId = (await page.getAttribute(".run-panel", "data-request-id"))!;
    const asBob = await getJson(`${server.url}/queue/fal-ai/kling-video/requests/${requestId}/status`, {
      headers: { authorization: `Key ${bob}` },
    });
    assert.equal(asBob.response.status, 202);
    await page.waitForSelector(`[data-history-entry="${requestId}"]`);
    assert.equal(await page.locator("[data-history-entry]").count(), 1, "only bob's request");
    await page.click("button.cancel");
    await page.waitForSelector("[data-run-status]:text('Cancelled')");
    assert.deepEqual(pageErrors, []);
  });
});
