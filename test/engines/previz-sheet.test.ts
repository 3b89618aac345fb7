import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";

import { loadImage } from "@napi-rs/canvas";

import { renderContactSheet } from "../../src/engines/previz/contact-sheet.ts";
import { makeGenerationPlan } from "../../src/jobs/plan.ts";

const run = promisify(execFile);
const CLI = join(import.meta.dirname, "../../src/cli/previz.ts");

describe("contact sheet", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "shotline-sheet-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("shows one frame a half second, marks each cut, and says how every shot was read", async () => {
    const plan = makeGenerationPlan({
      aspect_ratio: "16:9",
      duration: "5",
      multi_prompt: [
        { prompt: "A lighthouse on the coast at dusk", duration: "1" },
        { prompt: "A snowy forest, a deer stands, pan right", duration: "2" },
      ],
    });
    const sheet = renderContactSheet(plan, { columns: 3, thumbnailWidth: 160 });
    assert.deepEqual(sheet.frames, [0, 12, 24, 36, 48, 60]);
    assert.match(sheet.lines[0] ?? "", /procedural.*not a neural model/i);
    assert.match(sheet.lines[2] ?? "", /^shot 1\/2: ocean, dusk/);
    assert.match(
      sheet.lines[3] ?? "",
      /^shot 2\/2: forest, afternoon, snow; subject: deer standing; camera: pan-right/,
    );
    const image = await loadImage(sheet.png);
    assert.ok(image.width >= 3 * 160 && image.height > 2 * 90, `${image.width}×${image.height}`);
  });

  it("is written by `npm run previz` from a validated request", async () => {
    const out = join(dir, "board.png");
    const { stdout } = await run(process.execPath, [
      ...process.execArgv,
      CLI,
      ...["--shot", "A city street at night, rain", "--shot-duration", "1"],
      ...["--shot", "A beach at noon", "--shot-duration", "2"],
      ...["--aspect", "9:16", "--sheet", out],
    ]);
    assert.match(stdout, /not a neural model/);
    assert.match(stdout, /shot 1\/2: city street, night, rain/);
    assert.match(stdout, /shot 2\/2: ocean, noon/);
    assert.match(stdout, /wrote .*board\.png: 6 frames/);
    const png = await readFile(out);
    assert.equal(png.subarray(1, 4).toString(), "PNG");
  });

  it("refuses what the API would refuse, naming the field", async () => {
    const failure = await run(process.execPath, [
      ...process.execArgv,
      CLI,
      "a field",
      "--aspect",
      "4:3",
      "--sheet",
      join(dir, "x.png"),
    ]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    assert.ok(failure, "the command failed");
    assert.equal(failure.code, 2);
    assert.match(failure.stderr, /aspect_ratio/);
  });
});
