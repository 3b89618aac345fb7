import { createCanvas } from "@napi-rs/canvas";
import type { Canvas, SKRSContext2D } from "@napi-rs/canvas";

import type { StoryboardShot } from "../storyboard.ts";
import { createAtmosphere } from "./atmosphere.ts";
import { apply, cameraAt, layerScale, layerTransform, onlyTurns } from "./camera.ts";
import type { CameraOptions, CameraPose, View } from "./camera.ts";
import { css } from "./color.ts";
import { applyFlash, applyGrain, applyScratches, applyVignette, makeVignette } from "./finish.ts";
import { lookOf } from "./grade.ts";
import { bakeGlows, drawLive, drawShapes } from "./layers.ts";
import { makePalette } from "./palette.ts";
import { compositeOver, glowDot, inkOf, pixelsOf, streak } from "./pixels.ts";
import type { Pixels, Rect } from "./pixels.ts";
import { createRandom, mixSeeds } from "./random.ts";
import { copyWindow, frameRect, mergeRects } from "./regions.ts";
import { buildScenery } from "./scenery/index.ts";
import type { Glow, WorldBox } from "./scenery/index.ts";
import { paintPaper, paintSky } from "./sky.ts";
import { actorBounds, createActors, drawActor } from "./subjects/index.ts";
import { readRect } from "./surfaces.ts";
import type { Surfaces } from "./surfaces.ts";
import type { Actor } from "./subjects/index.ts";

/** Draws the frames of one shot. */
export interface ShotRenderer {
  /** Writes frame `local` (0-based within the shot) into `out`: RGBA, width × height × 4 bytes. */
  render(local: number, out: Uint8Array): void;
}

/**
 * Independent random streams per part: adding a star must not move every raindrop. The numbers
 * are arbitrary but fixed forever, as changing them changes every video.
 */
const STREAM = { sky: 1, scenery: 2, actors: 3, atmosphere: 4, celestial: 5 } as const;

/**
 * Prepares a shot once and then composes each frame from three parts:
 * - the backdrop: everything that does not change, painted once into an image bigger than the
 *   frame and copied in, slid by whole pixels when the camera turns (pan, tilt, shake);
 * - live regions: rectangles redrawn with Skia each frame (subjects, waves; all the scenery
 *   when the camera travels or zooms, since parallax changes every layer);
 * - particles, glows and the vignette, drawn in JavaScript straight into the frame buffer.
 * Only the live regions are read back from Skia, which is what keeps frames cheap.
 */
export function createShotRenderer(
  surfaces: Surfaces,
  shot: StoryboardShot,
  frame: { width: number; height: number; fps: number },
): ShotRenderer {
  // Only to build gradients: the scenery canvas is as good as any.
  const ctx = surfaces.scenery.ctx;
  const { width, height, fps } = frame;
  const { scene, seed } = shot;
  const aspect = width / height;
  const view: View = { height, aspect };
  const look = lookOf(scene.style);
  const palette = makePalette(scene, createRandom(mixSeeds(seed, STREAM.celestial)).range(0.2, 0.8));
  const actorRandom = createRandom(mixSeeds(seed, STREAM.actors));
  const direction: 1 | -1 = actorRandom.next() < 0.5 ? 1 : -1;
  const cameraOptions: CameraOptions = {
    camera: scene.camera,
    pace: scene.pace,
    seed,
    weave: look.weave,
    direction,
  };
  const still = onlyTurns(scene.camera.move);
  const progressOf = (local: number) => (shot.frames > 1 ? local / (shot.frames - 1) : 0);
  const reach = cameraReach(cameraOptions, shot.frames, fps, progressOf);

  const margin = reach.x + reach.travel + 0.2;
  const scenery = buildScenery({
    ctx,
    scene,
    palette,
    look,
    random: createRandom(mixSeeds(seed, STREAM.scenery)),
    left: -margin,
    right: aspect + margin,
    aspect,
  });
  const actors = createActors({
    scene,
    scenery,
    palette,
    random: actorRandom,
    aspect,
    shotSeconds: shot.seconds,
  }).sort((a, b) => a.depth - b.depth);
  const atmosphere = createAtmosphere({
    scene,
    palette,
    random: createRandom(mixSeeds(seed, STREAM.atmosphere)),
    width,
    height,
    glints: scenery.glints && { top: scenery.glints.top * height, bottom: scenery.glints.bottom * height },
  });
  const vignette = makeVignette(
    width,
    height,
    Math.min(0.85, look.vignette + (scene.light.moody ? 0.25 : 0) + (scene.light.spotlight ? 0.2 : 0)),
    look.vignetteInk,
  );
  const ink = look.outline ? palette.ink : undefined;
  const lightSide = {
    x: palette.celestial.x < 0.5 ? -1 : 1,
    y: scene.light.spotlight || scene.setting === "stage" ? -1 : 0,
  };

  // The backdrop covers the frame wherever the camera turns during the shot.
  const box: WorldBox = {
    left: reach.minX,
    top: reach.minY,
    right: aspect + reach.maxX,
    bottom: 1 + reach.maxY,
  };
  const backdropWidth = Math.ceil((box.right - box.left) * height) + 1;
  const backdropHeight = Math.ceil((box.bottom - box.top) * height) + 1;
  const backdrop = createCanvas(backdropWidth, backdropHeight);
  const bctx = backdrop.getContext("2d", { alpha: false });
  bctx.fillStyle = css(palette.far);
  bctx.fillRect(0, 0, backdropWidth, backdropHeight);
  bctx.setTransform(height, 0, 0, height, -box.left * height, -box.top * height);
  if (!scenery.hidesSky)
    paintSky({
      ctx: bctx,
      scene,
      palette,
      look,
      random: createRandom(mixSeeds(seed, STREAM.sky)),
      box,
      aspect,
    });
  if (still) {
    for (const layer of scenery.layers) {
      drawShapes(bctx, layer.shapes, ink);
      bakeGlows(bctx, layer.glows ?? []);
    }
    if (look.paper)
      paintPaper({
        ctx: bctx,
        scene,
        palette,
        look,
        random: createRandom(mixSeeds(seed, STREAM.sky, 9)),
        box,
        aspect,
      });
  }
  const backdropPixels = ((data) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength))(
    bctx.getImageData(0, 0, backdropWidth, backdropHeight).data,
  );

  const scenerySurface = surfaces.scenery;

  /** The pose with the turn rounded to whole backdrop pixels, and that pixel offset. */
  const snapped = (pose: CameraPose) => {
    const ox = clamp(Math.round((pose.look.x - box.left) * height), 0, backdropWidth - width);
    const oy = clamp(Math.round((pose.look.y - box.top) * height), 0, backdropHeight - height);
    return { ox, oy, pose: { ...pose, look: { x: ox / height + box.left, y: oy / height + box.top } } };
  };

  const screenBox = (b: WorldBox, pose: CameraPose, depth: number): Rect | undefined => {
    const t = layerTransform(pose, depth, view);
    const [x0, y0] = apply(t, b.left, b.top);
    const [x1, y1] = apply(t, b.right, b.bottom);
    return frameRect(x0, y0, x1, y1, width, height);
  };

  /** Rectangles drawn over the frame each frame: subjects, and moving parts of still scenery. */
  const overlayRects = (pose: CameraPose, seconds: number): Rect[] => {
    const rects: Rect[] = [];
    if (still) {
      for (const layer of scenery.layers)
        for (const part of layer.live ?? []) push(rects, screenBox(part.bounds, pose, layer.depth));
    }
    for (const actor of actors) push(rects, screenBox(actorBounds(actor, seconds), pose, actor.depth));
    return mergeRects(rects);
  };

  /**
   * Draws the travelling scenery into the frame below its highest point (pixels), over the
   * backdrop's sky, and returns that top row.
   */
  const drawScenery = (
    out: Uint8Array,
    ox: number,
    oy: number,
    pose: CameraPose,
    seconds: number,
  ): number => {
    const sctx = scenerySurface.ctx;
    const highest = Math.min(
      ...scenery.layers.map((layer) => apply(layerTransform(pose, layer.depth, view), 0, layer.top)[1]),
    );
    const top = clamp(Math.floor(highest) - 1, 0, height);
    if (top >= height) return height;
    sctx.save();
    sctx.setTransform(1, 0, 0, 1, 0, 0);
    sctx.beginPath();
    sctx.rect(0, top, width, height - top);
    sctx.clip();
    // Indoors the back wall covers everything: nothing of the backdrop shows.
    if (!scenery.hidesSky)
      sctx.drawImage(backdrop, ox, oy + top, width, height - top, 0, top, width, height - top);
    for (const layer of scenery.layers) {
      sctx.setTransform(...layerTransform(pose, layer.depth, view));
      drawShapes(sctx, layer.shapes, ink);
      drawLive(sctx, layer, seconds);
    }
    sctx.restore();
    out.set(readRect(sctx, { x: 0, y: top, width, height: height - top }), top * width * 4);
    return top;
  };

  /** Draws one overlay rectangle in a small transparent canvas and blends it into the frame. */
  const drawOverlay = (out: Pixels, rect: Rect, pose: CameraPose, seconds: number) => {
    const octx = surfaces.overlay(rect.width, rect.height);
    const at = (depth: number) => {
      const [a, b, c, d, e, f] = layerTransform(pose, depth, view);
      octx.setTransform(a, b, c, d, e - rect.x, f - rect.y);
    };
    let next = 0;
    if (still) {
      for (const layer of scenery.layers) {
        // Subjects stand in front of the moving parts at or behind their depth.
        for (; next < actors.length && (actors[next]?.depth ?? 2) < layer.depth; next++)
          drawActorIn(octx, actors[next], at, seconds);
        if (!layer.live) continue;
        at(layer.depth);
        drawLive(octx, layer, seconds);
      }
    }
    for (; next < actors.length; next++) drawActorIn(octx, actors[next], at, seconds);
    compositeOver(readRect(octx, { x: 0, y: 0, width: rect.width, height: rect.height }), rect, out);
  };

  const drawActorIn = (
    octx: SKRSContext2D,
    actor: Actor | undefined,
    at: (depth: number) => void,
    seconds: number,
  ) => {
    if (!actor) return;
    at(actor.depth);
    drawActor(octx, actor, seconds, look, lightSide);
  };

  /** Glows of moving layers and of subjects' lamps, drawn in the frame buffer. */
  const drawGlows = (px: Pixels, pose: CameraPose, seconds: number) => {
    const glow = (g: Glow, t: ReturnType<typeof layerTransform>, scale: number) => {
      const [x, y] = apply(t, g.x, g.y);
      glowDot(px, x, y, g.radius * scale, inkOf(g.color), Math.round(256 * g.alpha));
    };
    if (!still) {
      for (const layer of scenery.layers) {
        const t = layerTransform(pose, layer.depth, view);
        for (const g of layer.glows ?? []) glow(g, t, height * layerScale(pose, layer.depth));
      }
    }
    for (const actor of actors) {
      if (!actor.lights) continue;
      const { x, y, size } = actor.placeAt(seconds);
      const t = layerTransform(pose, actor.depth, view);
      for (const lamp of actor.lights(seconds))
        glow(
          { ...lamp, x: x + lamp.x * size * actor.facing, y: y + lamp.y * size },
          t,
          size * height * layerScale(pose, actor.depth),
        );
    }
  };

  const windowRect = (pose: CameraPose): Rect => {
    const pane = scenery.window;
    const first = scenery.layers[0];
    return (pane && first && screenBox(pane, pose, first.depth)) || { x: 0, y: 0, width: 0, height: 0 };
  };

  return {
    render(local, out) {
      const seconds = local / fps;
      const exact = cameraAt(cameraOptions, progressOf(local), seconds);
      const { ox, oy, pose: turned } = snapped(exact);
      // A turning camera slides the backdrop by whole pixels, so everything drawn over it must
      // use the same rounded turn; a travelling camera draws its scenery exactly.
      const pose = still ? turned : { ...exact, look: turned.look };
      const px = pixelsOf(out, width, height);
      if (still) copyWindow(backdropPixels, backdropWidth, ox, oy, out, width, height, undefined);
      else {
        const top = drawScenery(out, ox, oy, pose, seconds);
        copyWindow(backdropPixels, backdropWidth, ox, oy, out, width, height, { from: top, to: height });
      }
      for (const rect of overlayRects(pose, seconds)) drawOverlay(px, rect, pose, seconds);
      drawGlows(px, pose, seconds);
      atmosphere.weather(px, seconds, scenery.window ? windowRect(pose) : undefined);
      atmosphere.air(px, seconds, undefined);
      const lightning = atmosphere.lightning(seconds);
      if (lightning.bolt) drawBolt(px, lightning.bolt, palette.flash);
      if (lightning.flash > 0) applyFlash(px, palette.flash, lightning.flash);
      if (vignette) applyVignette(px, vignette);
      applyGrain(px, seed, local, look.grain);
      if (look.scratches) applyScratches(px, seed, local);
    },
  };
}

function push(rects: Rect[], rect: Rect | undefined): void {
  if (rect) rects.push(rect);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

function drawBolt(
  px: Pixels,
  bolt: ReadonlyArray<[number, number]>,
  color: Parameters<typeof inkOf>[0],
): void {
  const core = inkOf(color);
  for (let i = 1; i < bolt.length; i++) {
    const [x0, y0] = bolt[i - 1] ?? [0, 0];
    const [x1, y1] = bolt[i] ?? [0, 0];
    for (const dx of [-1, 0, 1]) streak(px, x0 + dx, y0, x1 + dx, y1, core, 230);
    glowDot(px, x1, y1, px.height * 0.03, core, 70);
  }
}

/**
 * How far the camera turns and travels during the shot (world units), sampled at every frame:
 * the backdrop and the scenery must reach that far beyond the frame.
 */
function cameraReach(
  options: CameraOptions,
  frames: number,
  fps: number,
  progressOf: (local: number) => number,
) {
  const reach = { minX: 0, maxX: 0, minY: 0, maxY: 0, x: 0, travel: 0 };
  for (let local = 0; local < frames; local++) {
    const pose = cameraAt(options, progressOf(local), local / fps);
    reach.minX = Math.min(reach.minX, pose.look.x);
    reach.maxX = Math.max(reach.maxX, pose.look.x);
    reach.minY = Math.min(reach.minY, pose.look.y);
    reach.maxY = Math.max(reach.maxY, pose.look.y);
    reach.travel = Math.max(reach.travel, Math.abs(pose.travel));
  }
  reach.x = Math.max(-reach.minX, reach.maxX);
  // A pixel of slack each way for rounding.
  reach.minX -= 0.002;
  reach.minY -= 0.002;
  reach.maxX += 0.002;
  reach.maxY += 0.002;
  return reach;
}
