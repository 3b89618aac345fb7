/**
 * Assembles the previz kernels (src/engines/previz/render/kernels/kernels.wat) into the
 * kernels.wasm next to it, which is what the renderer loads: `npm run kernels` after editing the
 * .wat. test/engines/previz-kernels.test.ts fails while the two disagree.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import wabt from "wabt";

const SOURCE = new URL("../src/engines/previz/render/kernels/kernels.wat", import.meta.url);
export const KERNELS_WASM = new URL("../src/engines/previz/render/kernels/kernels.wasm", import.meta.url);

export async function assembleKernels(): Promise<Uint8Array> {
  const tools = await wabt();
  const module = tools.parseWat("kernels.wat", await readFile(SOURCE, "utf8"), {
    simd: true,
    threads: true,
    bulk_memory: true,
  });
  try {
    // Not validated here: V8 validates it when the renderer compiles it (and the tests do).
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const binary = await assembleKernels();
  await writeFile(KERNELS_WASM, binary);
  console.log(`${fileURLToPath(KERNELS_WASM)}: ${binary.byteLength} bytes`);
}
