import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { it } from "node:test";
import { SETTINGS } from "../../src/config.ts";

it("the README's configuration table lists every setting with its default", async () => {
  const readme = await readFile(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const row = readme.split("\n").find((line) => new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`).test(line));
    assert.ok(row, `${name} is missing from the README's configuration table`);
    if (setting.default)
      assert.ok(row.includes(`\`${setting.default}\``), `${name}: default ${setting.default}`);
  }
});
