/**
 * Terminology
 * - raw frame: width × height × 4 bytes (RGBA or BGRA), rows top to bottom, what engines draw.
 * - encoder: a running ffmpeg reading raw frames from stdin and writing one H.264 MP4.
 * - facts: what ffprobe says a finished file is (codec, size, frame count, colour tags…).
 */
export { defaultMediaTools, type MediaTools } from "./tools.ts";
export { EncodeAbortedError, MediaToolError } from "./errors.ts";
export {
  startEncoder,
  type EncodedVideo,
  type EncoderOptions,
  type FrameEncoder,
  type RawPixelFormat,
} from "./encoder.ts";
export { probeVideo, type ProbeOptions, type VideoFacts } from "./probe.ts";
export { isFastStart, readTopLevelBoxes, type Mp4Box } from "./mp4-boxes.ts";
