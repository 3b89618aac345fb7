import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  CLIENT_OPTIONS,
  defaultConfigPath,
  loadClientOptions,
  resolveClientOptions,
} from "../../src/cli/client/options.ts";
import { UsageError } from "../../src/cli/usage-error.ts";

const file = (values: Record<string, unknown> = {}) => ({ path: "/etc/shotline.json", values });

describe("client option resolution: flag → environment → config file → default", () => {
  it("takes each option from the first source that has it", () => {
    const all = {
      flags: { url: "http://from-flag:1" },
      env: { SHOTLINE_URL: "http://from-env:2", FAL_KEY: "env-id:env-secret" },
      file: file({
        url: "http://from-file:3",
        key: "file-id:file-secret",
        endpoint: "shotline/previz/text-to-video",
      }),
    };
    assert.deepEqual(resolveClientOptions(all), {
      url: "http://from-flag:1",
      key: "env-id:env-secret",
      endpoint: "shotline/previz/text-to-video",
    });
    assert.equal(resolveClientOptions({ ...all, flags: {} }).url, "http://from-env:2");
    assert.equal(resolveClientOptions({ ...all, flags: {}, env: {} }).url, "http://from-file:3");
    assert.equal(resolveClientOptions({ ...all, flags: {}, env: {} }).key, "file-id:file-secret");
    assert.deepEqual(resolveClientOptions({ flags: {}, env: {}, file: file() }), {
      url: CLIENT_OPTIONS.url.default,
      key: undefined,
      endpoint: CLIENT_OPTIONS.endpoint.default,
    });
  });

  it("treats an empty flag or variable as not given", () => {
    const resolved = resolveClientOptions({
      flags: { url: "" },
      env: { SHOTLINE_URL: "", FAL_KEY: "" },
      file: file({ url: "http://from-file:3" }),
    });
    assert.deepEqual([resolved.url, resolved.key], ["http://from-file:3", undefined]);
  });

  it("names the source of a bad value", () => {
    const bad = (sources: Parameters<typeof resolveClientOptions>[0], pattern: RegExp) =>
      assert.throws(
        () => resolveClientOptions(sources),
        (error: unknown) => error instanceof UsageError && pattern.test(error.message),
      );
    bad(
      { flags: { url: "gpu-box:8000" }, env: {}, file: file() },
      /^--url "gpu-box:8000": not an http\(s\) URL/,
    );
    bad({ flags: {}, env: { SHOTLINE_URL: "ftp://x" }, file: file() }, /^SHOTLINE_URL "ftp:\/\/x"/);
    bad(
      { flags: {}, env: {}, file: file({ endpoint: "kling" }) },
      /^\/etc\/shotline\.json "endpoint" "kling"/,
    );
    bad({ flags: {}, env: {}, file: file({ urll: "http://x" }) }, /unknown key "urll"/);
    bad({ flags: {}, env: {}, file: file({ key: 42 }) }, /"key" must be a string/);
  });

  it("drops a trailing slash from the URL and keeps a path prefix", () => {
    const { url } = resolveClientOptions({
      flags: { url: "https://example.com/shotline/" },
      env: {},
      file: file(),
    });
    assert.equal(url, "https://example.com/shotline");
  });
});

describe("the config file", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shotline-options-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is read from --config, else SHOTLINE_CONFIG, else $XDG_CONFIG_HOME/shotline/config.json", async () => {
    const write = async (name: string, url: string) => {
      const at = path.join(dir, name);
      await mkdir(path.dirname(at), { recursive: true });
      await writeFile(at, JSON.stringify({ url }));
      return at;
    };
    const fromFlag = await write("flag.json", "http://flag-file:1");
    const fromEnv = await write("env.json", "http://env-file:2");
    await write("xdg/shotline/config.json", "http://xdg-file:3");
    const env = { XDG_CONFIG_HOME: path.join(dir, "xdg"), SHOTLINE_CONFIG: fromEnv };
    assert.equal((await loadClientOptions({ config: fromFlag }, env)).url, "http://flag-file:1");
    assert.equal((await loadClientOptions({}, env)).url, "http://env-file:2");
    assert.equal(
      (await loadClientOptions({}, { XDG_CONFIG_HOME: env.XDG_CONFIG_HOME })).url,
      "http://xdg-file:3",
    );
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: "/x" }), "/x/shotline/config.json");
    assert.equal(defaultConfigPath({}), path.join(os.homedir(), ".config", "shotline", "config.json"));
  });

  it("may be absent at the default path, not at a path one names; must be a JSON object", async () => {
    const nowhere = { XDG_CONFIG_HOME: path.join(dir, "empty") };
    assert.equal((await loadClientOptions({}, nowhere)).url, CLIENT_OPTIONS.url.default);
    await assert.rejects(loadClientOptions({ config: path.join(dir, "missing.json") }, nowhere), UsageError);
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, "{ url: ");
    await assert.rejects(loadClientOptions({ config: broken }, nowhere), /broken\.json is not JSON/);
    await writeFile(broken, '["http://x"]');
    await assert.rejects(loadClientOptions({ config: broken }, nowhere), /must hold a JSON object/);
  });
});

it("the README's CLI table lists every client option with its variable and config key", async () => {
  const readme = await readFile(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  for (const option of Object.values(CLIENT_OPTIONS)) {
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${option.flag}`));
    assert.ok(row, `${option.flag} is missing from the README's client options table`);
    assert.ok(row.includes(`\`${option.env}\``), `${option.flag}: ${option.env}`);
    assert.ok(row.includes(`\`${option.fileKey}\``), `${option.flag}: config key ${option.fileKey}`);
    if (option.default) assert.ok(row.includes(`\`${option.default}\``), `${option.flag}: default`);
  }
});
