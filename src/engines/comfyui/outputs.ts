import { extname } from "node:path";

import type { HistoryEntry, OutputFile } from "./client.ts";
import { PromptFailedError } from "./errors.ts";

/** Containers ffmpeg reads, best first: where a workflow saves several, the first kind wins. */
const VIDEO_EXTENSIONS = [".mp4", ".mov", ".m4v", ".mkv", ".webm", ".gif"];

/**
 * The video a finished prompt saved. Nodes list files under different keys — core `SaveVideo`
 * under `images`, VideoHelperSuite under `gifs`, others under `videos` — so every list of every
 * output node is searched, by file extension, keeping only saved files (`type: "output"`, not
 * `temp` previews).
 */
export function pickVideoOutput(entry: HistoryEntry, promptId: string): OutputFile {
  const found: OutputFile[] = [];
  for (const node of Object.values(entry.outputs ?? {})) {
    for (const list of Object.values(node ?? {})) {
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const file = asOutputFile(item);
        if (file) found.push(file);
      }
    }
  }
  const rank = (file: OutputFile) => VIDEO_EXTENSIONS.indexOf(extname(file.filename).toLowerCase());
  const videos = found.filter((file) => file.type === "output" && rank(file) !== -1);
  videos.sort((a, b) => rank(a) - rank(b));
  const video = videos[0];
  if (!video) {
    const listed = found.map((file) => `${file.filename} (${file.type})`).join(", ") || "nothing";
    throw new PromptFailedError(
      `ComfyUI prompt ${promptId} saved no video (${VIDEO_EXTENSIONS.join(" ")}); it listed ${listed}`,
    );
  }
  return video;
}

function asOutputFile(value: unknown): OutputFile | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { filename, subfolder, type } = value as Record<string, unknown>;
  if (typeof filename !== "string" || filename === "" || typeof type !== "string") return undefined;
  return { filename, subfolder: typeof subfolder === "string" ? subfolder : "", type };
}
