import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ENDPOINT, getJson, startServer, type ServerProcess } from "../support/server-process.ts";
import {
  buildPlayground,
  collectPageErrors,
  GENERATE,
  launchChromium,
  openPlayground,
  resultVideoState,
  screenshot,
} from "./support/playground.ts";

const PREVIZ_ENDPOINT = "shotline/previz/text-to-video";

/** The playground in Debian's chromium, against a real server process in local mode (no key). */
describe("playground", () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    await buildPlayground();
    server = await startServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await server?.cleanup();
  });
  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
  });

  it("is served at / with its hashed assets cached for good, beside the API", async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get("content-type") ?? "", /text\/html/);
    assert.equal(index.headers.get("cache-control"), "no-cache");
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const asset = await fetch(`${server.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("content-type") ?? "", /javascript/);
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal((await fetch(`${server.url}/assets/missing.js`)).status, 404);
    const health = await getJson(`${server.url}/healthz`);
    assert.equal(health.body.status, "ok");
  });

  it("builds its choices from the contract and shows the engine and a live price", async () => {
    await openPlayground(page, server.url);
    const doc = (await getJson(`${server.url}/openapi.json?endpoint_id=${ENDPOINT}`)).body as {
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
    };
    const input = doc.components.schemas["KlingVideoV3TurboProTextToVideoInput"]!.properties;
    const durations = await page.$$eval("#duration option", (options) =>
      options.map((o) => (o as HTMLOptionElement).value),
    );
    assert.deepEqual(durations, input["duration"]!.enum);
    const ratios = await page.$$eval("input[name=aspect_ratio]", (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).value),
    );
    assert.deepEqual(ratios, input["aspect_ratio"]!.enum);

    // The Kling endpoint: $0.14/s; previz runs it here, and says it is not a neural model.
    assert.match((await page.textContent("[data-price]")) ?? "", /\$0\.70/);
    await page.selectOption("#duration", "3");
    assert.match((await page.textContent("[data-price]")) ?? "", /\$0\.42/);
    assert.match((await page.textContent(".engine-notice")) ?? "", /Procedural preview — not a neural model/);
    assert.match((await page.textContent(".engine-notice")) ?? "", /Runs on previz/);

    await page.check(`input[name=endpoint][value="${PREVIZ_ENDPOINT}"]`);
    assert.match((await page.textContent("[data-price]")) ?? "", /free/);

    // The prompt counter: advice past 2500 characters, blocked past 3072.
    await page.fill("#prompt", "a".repeat(2501));
    assert.equal(await page.getAttribute("[data-counter=prompt]", "class"), "counter counter-advice");
    assert.equal(await page.isEnabled(GENERATE), true);
    await page.fill("#prompt", "a".repeat(3073));
    assert.equal(await page.getAttribute("[data-counter=prompt]", "class"), "counter counter-over");
    assert.equal(await page.isEnabled(GENERATE), false);
    assert.match((await page.textContent('[data-field-errors="prompt"]')) ?? "", /at most 3072/);
    assert.deepEqual(pageErrors, []);
  });

  it("submits, streams queue status and logs, reaches 100 % and plays the video inline", async () => {
    await openPlayground(page, server.url);
    await page.fill(
      "#prompt",
      "A neon city street at night in the rain, a woman walks, the camera pushes in",
    );
    await page.selectOption("#duration", "3");
    await page.locator("label.aspect-option", { hasText: "9:16" }).click();
    assert.equal(await page.isChecked("input[name=aspect_ratio][value='9:16']"), true);
    await screenshot(page, "1-form-filled");

    // Every state the run panel shows, recorded as it changes (no polling that could miss one).
    await page.evaluate(() => {
      const seen: { status: string; percent: string; logs: number }[] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        const status = document.querySelector("[data-run-status]")?.textContent ?? "";
        const percent = document.querySelector("[data-progress-percent]")?.textContent ?? "";
        const logs = document.querySelectorAll("[data-logs] li:not(.log-end)").length;
        const last = seen.at(-1);
        if (!last || last.status !== status || last.percent !== percent || last.logs !== logs) {
          seen.push({ status, percent, logs });
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.click(GENERATE);
    await page.waitForSelector("[data-progress-percent]:text('100 %')", { timeout: 120_000 });
    const video = await resultVideoState(page);
    await screenshot(page, "2-completed");

    assert.ok(video.readyState >= 2);
    assert.ok(Math.abs(video.duration - 3) < 0.05, `duration ${video.duration}`);
    assert.deepEqual([video.width, video.height], [1080, 1920]);
    const caption = (await page.textContent(".result figcaption")) ?? "";
    assert.match(caption, /1080×1920/);
    assert.match(caption, /3 s/);
    assert.match(caption, /\$0\.42/);
    assert.equal(await page.getAttribute(".result a[download]", "href"), video.src);

    const seen = await page.evaluate(
      () => (window as unknown as { seen: { status: string; percent: string; logs: number }[] }).seen,
    );
    assert.ok(
      seen.some((s) => s.status === "Rendering" && s.logs > 0),
      `log lines shown while rendering: ${JSON.stringify(seen)}`,
    );
    const percents = seen.map((s) => Number.parseInt(s.percent, 10)).filter(Number.isFinite);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      "progress never goes back",
    );
    assert.equal(seen.at(-1)?.status, "Done");
    const logs = (await page.textContent("[data-logs]")) ?? "";
    assert.match(logs, /shot 1\/1: neon city/);

    // What the page shows is the server's own record of the request.
    const requestId = (await page.getAttribute(".run-panel", "data-request-id"))!;
    const status = await getJson(`${server.url}/queue/fal-ai/kling-video/requests/${requestId}/status`);
    assert.equal(status.body.status, "COMPLETED");
    const result = await getJson(`${server.url}/queue/fal-ai/kling-video/requests/${requestId}`);
    assert.equal((result.body.video as { url: string }).url, video.src);

    // History survives a reload, with the first frame as thumbnail, and opens the result again.
    await page.reload();
    await page.waitForSelector(`[data-history-entry="${requestId}"] video.thumbnail`);
    await page.waitForFunction(
      (id) =>
        (document.querySelector<HTMLVideoElement>(`[data-history-entry="${id}"] video.thumbnail`)
          ?.readyState ?? 0) >= 2,
      requestId,
      { timeout: 30_000 },
    );
    await screenshot(page, "3-history");
    await page.click(`[data-history-entry="${requestId}"]`);
    assert.equal((await resultVideoState(page)).src, video.src);
    assert.equal(
      await page.inputValue("#prompt"),
      "A neon city street at night in the rain, a woman walks, the camera pushes in",
    );
    assert.deepEqual(pageErrors, []);
  });

  it("edits a storyboard and blocks a submit over 15 s with a message", async () => {
    await openPlayground(page, server.url);
    const submits: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") submits.push(request.url());
    });
    await page.fill("#prompt", "a beach at dawn, pan left");
    await page.check("input[name=mode][value=storyboard]");
    // The single prompt becomes the first shot.
    assert.equal(await page.inputValue('[data-field="multi_prompt.0.prompt"]'), "a beach at dawn, pan left");
    await page.selectOption('[data-field="multi_prompt.0.duration"]', "10");
    await page.click("button.add-shot");
    await page.fill('[data-field="multi_prompt.1.prompt"]', "a forest at night, fireflies");
    // 10 + 5 = 15 s: allowed, priced at 15 × $0.14.
    assert.match((await page.textContent("[data-storyboard-total]")) ?? "", /Total 15 s of 15 s/);
    assert.match((await page.textContent("[data-price]")) ?? "", /\$2\.10/);
    assert.equal(await page.isEnabled(GENERATE), true);

    await page.selectOption('[data-field="multi_prompt.1.duration"]', "6");
    assert.match((await page.textContent("[data-storyboard-total]")) ?? "", /Total 16 s of 15 s/);
    assert.equal(await page.isEnabled(GENERATE), false);
    assert.match(
      (await page.textContent('[data-field-errors="multi_prompt"]')) ?? "",
      /add up to 16 s; a storyboard may last at most 15 s/,
    );
    await screenshot(page, "4-storyboard-over-15s");
    // Even a submit that does not come from the (disabled) button is held back.
    await page.$eval("form.video-form", (form) => (form as HTMLFormElement).requestSubmit());
    assert.deepEqual(submits, [], "nothing was submitted");

    // Reorder and remove; the shot count is bounded by the schema (1-6).
    await page.click('button[aria-label="Move shot 2 up"]');
    assert.equal(
      await page.inputValue('[data-field="multi_prompt.0.prompt"]'),
      "a forest at night, fireflies",
    );
    assert.equal(await page.inputValue('[data-field="multi_prompt.0.duration"]'), "6");
    await page.click('button[aria-label="Remove shot 1"]');
    assert.equal(await page.locator("[data-shot]").count(), 1);
    assert.equal(await page.isEnabled('button[aria-label="Remove shot 1"]'), false);
    for (let i = 1; i < 6; i++) await page.click("button.add-shot");
    assert.equal(await page.locator("[data-shot]").count(), 6);
    assert.equal(await page.isEnabled("button.add-shot"), false);
    assert.deepEqual(pageErrors, []);
  });

  it("shows a 422 from the server beside the field it names", async () => {
    await openPlayground(page, server.url);
    await page.check(`input[name=endpoint][value="${PREVIZ_ENDPOINT}"]`);
    await page.check("input[name=mode][value=storyboard]");
    await page.fill('[data-field="multi_prompt.0.prompt"]', "a harbour at dusk");
    await page.selectOption('[data-field="multi_prompt.0.duration"]', "2");
    await page.click("button.add-shot");
    await page.fill('[data-field="multi_prompt.1.prompt"]', "gulls over the water");
    await page.selectOption('[data-field="multi_prompt.1.duration"]', "1");
    // What an out-of-date page could send: a duration the schema no longer has. The server
    // itself refuses it; the page only has to put its message in the right place.
    await page.route(`**/queue/${PREVIZ_ENDPOINT}`, async (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}") as { multi_prompt: { duration: string }[] };
      body.multi_prompt[1]!.duration = "20";
      await route.continue({ postData: JSON.stringify(body) });
    });
    const answer = page.waitForResponse((response) => response.url().endsWith(`/queue/${PREVIZ_ENDPOINT}`));
    await page.click(GENERATE);
    const response = await answer;
    assert.equal(response.status(), 422);
    const detail = ((await response.json()) as { detail: { loc: unknown[]; msg: string }[] }).detail;
    assert.deepEqual(detail[0]?.loc, ["body", "multi_prompt", 1, "duration"]);

    const beside = page.locator('[data-shot="1"] [data-field-errors="multi_prompt.1.duration"]');
    await beside.waitFor();
    assert.equal((await beside.textContent())?.trim(), detail[0]?.msg);
    assert.ok(
      await beside.evaluate(
        (list) =>
          list.previousElementSibling?.querySelector('[data-field="multi_prompt.1.duration"]') != null,
      ),
      "the message sits right under the shot's duration",
    );
    assert.equal(await page.locator('[data-shot="0"] .field-errors').count(), 0);
    await screenshot(page, "5-server-422");

    // Editing the form clears the server's verdict on the old input.
    await page.selectOption('[data-field="multi_prompt.1.duration"]', "2");
    assert.equal(await beside.count(), 0);
    await page.unroute(`**/queue/${PREVIZ_ENDPOINT}`);
  });

  it("fits a phone's width", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    await openPlayground(small, server.url);
    await small.fill("#prompt", "A lighthouse at dusk, the camera pulls back");
    const fits = () =>
      small.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        submitRight: document.querySelector("form.video-form button[type=submit]")!.getBoundingClientRect()
          .right,
      }));
    let layout = await fits();
    assert.ok(layout.scrollWidth <= layout.innerWidth, JSON.stringify(layout));
    assert.ok(layout.submitRight <= layout.innerWidth, JSON.stringify(layout));
    await screenshot(small, "6-phone");
    await small.check("input[name=mode][value=storyboard]");
    await small.click("button.add-shot");
    layout = await fits();
    assert.ok(layout.scrollWidth <= layout.innerWidth, JSON.stringify(layout));
    await screenshot(small, "7-phone-storyboard");
    await phone.close();
  });
});
