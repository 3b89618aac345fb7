import { createRequire } from "node:module";

/**
 * Where the ffmpeg binaries live. Passed down explicitly so that only the configuration module decides
 * (an operator may point at a system ffmpeg); media code never reads the environment itself.
 */
export interface MediaTools {
  ffmpegPath: string;
  ffprobePath: string;
}

interface InstallerPackage {
  path: string;
}

// The installer packages are CommonJS and resolve their platform binary on load.
const require = createRequire(import.meta.url);

/**
 * The static ffmpeg/ffprobe builds shipped in `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe`:
 * the zero-setup default.
 * @example const { ffmpegPath } = defaultMediaTools();
 */
export function defaultMediaTools(): MediaTools {
  const ffmpeg = require("@ffmpeg-installer/ffmpeg") as InstallerPackage;
  const ffprobe = require("@ffprobe-installer/ffprobe") as InstallerPackage;
  return { ffmpegPath: ffmpeg.path, ffprobePath: ffprobe.path };
}
