import { createCanvas, ImageData } from "@napi-rs/canvas";

import type { GenerationPlan } from "../../jobs/plan.ts";
import { withMouths } from "./audio/index.ts";
import type { MouthTrack } from "./audio/index.ts";
import { createFrameRenderer } from "./frames/frame-renderer.ts";
import { PREVIZ_DESCRIPTION } from "./description.ts";
import { describeScenePlan } from "./scene-plan.ts";
import { makeStoryboard, shotAt } from "./storyboard.ts";

export interface ContactSheetOptions {
  /** Seconds between sampled frames; default a half second. */
  every?: number;
  /** Thumbnails per row; default 4 (6 for portrait frames). */
  columns?: number;
  /** Thumbnail width in pixels; default 400 (225 for portrait frames). */
  thumbnailWidth?: number;
  /** Lip sync to draw (from `lipSync(plan)`); without it every mouth is shut. */
  mouths?: readonly MouthTrack[];
}

export interface ContactSheet {
  png: Buffer;
  /** The frame indices shown, in order. */
  frames: number[];
  /** The header lines: what the engine is and how each shot's prompt was read. */
  lines: string[];
}

const PAD = 12;
const LINE = 22;
const LABEL = 20;

/**
 * A PNG grid of frames of what the service would render for `plan` (one a half second by default),
 * headed by the scene plan of each shot, so a storyboard can be checked without a video player.
 * Frames are drawn at full size by the same renderer as the video, then shrunk.
 * @example writeFile("sheet.png", renderContactSheet(makeGenerationPlan(input)).png)
 */
export function renderContactSheet(plan: GenerationPlan, options: ContactSheetOptions = {}): ContactSheet {
  const storyboard = withMouths(makeStoryboard(plan), options.mouths ?? []);
  const portrait = plan.height > plan.width;
  const columns = options.columns ?? (portrait ? 6 : 4);
  const thumbWidth = options.thumbnailWidth ?? (portrait ? 225 : 400);
  const thumbHeight = Math.round((thumbWidth * plan.height) / plan.width);
  const step = Math.max(1, Math.round((options.every ?? 0.5) * plan.fps));
  const frames: number[] = [];
  for (let index = 0; index < plan.totalFrames; index += step) frames.push(index);

  const lines = [
    `Shotline previz — ${PREVIZ_DESCRIPTION}`,
    `${plan.aspectRatio} · ${plan.width}×${plan.height} · ${plan.fps} fps · ${plan.totalSeconds} s · ${plan.totalFrames} frames · seed ${plan.seed}`,
    ...storyboard.shots.map(
      (shot) =>
        `${describeScenePlan(shot.scene, { index: shot.index, count: storyboard.shots.length })} (${shot.seconds} s)`,
    ),
  ];
  const rows = Math.ceil(frames.length / columns);
  const headerHeight = PAD + lines.length * LINE + PAD;
  const sheetWidth = Math.max(PAD + columns * (thumbWidth + PAD), 900);
  const sheetHeight = headerHeight + rows * (thumbHeight + LABEL + PAD) + PAD;
  const sheet = createCanvas(sheetWidth, sheetHeight);
  const ctx = sheet.getContext("2d", { alpha: false });
  ctx.fillStyle = "#16171b";
  ctx.fillRect(0, 0, sheetWidth, sheetHeight);
  ctx.fillStyle = "#e8e8ec";
  ctx.font = "15px sans-serif";
  lines.forEach((line, i) => ctx.fillText(line, PAD, PAD + (i + 0.75) * LINE, sheetWidth - 2 * PAD));

  const renderer = createFrameRenderer(storyboard);
  const pixels = new Uint8Array(renderer.frameBytes);
  const full = createCanvas(plan.width, plan.height);
  const fullCtx = full.getContext("2d", { alpha: false });
  frames.forEach((index, n) => {
    renderer.render(index, pixels);
    fullCtx.putImageData(
      new ImageData(
        new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.byteLength),
        plan.width,
        plan.height,
      ),
      0,
      0,
    );
    const x = PAD + (n % columns) * (thumbWidth + PAD);
    const y = headerHeight + Math.floor(n / columns) * (thumbHeight + LABEL + PAD);
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(full, x, y, thumbWidth, thumbHeight);
    const shot = shotAt(storyboard, index);
    // The first frame of each shot is marked: that is where the cut lands.
    if (index === shot.startFrame) {
      ctx.fillStyle = "#f2b134";
      ctx.fillRect(x, y, 5, thumbHeight);
    }
    ctx.fillStyle = "#b8b9c0";
    ctx.font = "13px sans-serif";
    ctx.fillText(
      `shot ${shot.index + 1} · ${(index / plan.fps).toFixed(1)} s · frame ${index}`,
      x,
      y + thumbHeight + 15,
      thumbWidth,
    );
  });
  return { png: sheet.toBuffer("image/png"), frames, lines };
}
