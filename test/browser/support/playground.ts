import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";

const ROOT = path.resolve(import.meta.dirname, "../../..");
/** Screenshots land here (gitignored): CI keeps them as artefacts. */
export const ARTIFACTS_DIR = path.join(ROOT, "test-artifacts", "playground");

/** Builds the bundle the server serves at `/`, as `npm run build` does. */
export async function buildPlayground(): Promise<void> {
  const web = path.join(ROOT, "web");
  await build({ root: web, configFile: path.join(web, "vite.config.ts"), logLevel: "warn" });
}

/** Debian's chromium (installed by apt in `.ci/run`), never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * Uncaught errors and console errors of the page, to assert there were none. Chromium logs every
 * answer of `expectedStatuses` (a 401 that asks for a key) as a console error too: those are not.
 */
export function collectPageErrors(page: Page, expectedStatuses: number[] = []): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    const expected = expectedStatuses.some((status) =>
      message.text().startsWith(`Failed to load resource: the server responded with a status of ${status} `),
    );
    if (message.type() === "error" && !expected) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** The form's submit button (the key panel has its own). */
export const GENERATE = "form.video-form button[type=submit]";

/** Opens the playground and waits until its form is built from the server's schema. */
export async function openPlayground(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector("form.video-form");
}

/** The result `<video>`'s state, once it has decoded a frame. */
export async function resultVideoState(page: Page) {
  await page.waitForFunction(
    () => (document.querySelector<HTMLVideoElement>("video[data-result-video]")?.readyState ?? 0) >= 2,
    undefined,
    { timeout: 60_000 },
  );
  return page.$eval("video[data-result-video]", (video: HTMLVideoElement) => ({
    readyState: video.readyState,
    duration: video.duration,
    width: video.videoWidth,
    height: video.videoHeight,
    src: video.currentSrc,
  }));
}
