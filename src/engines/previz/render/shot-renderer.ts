import type { SKRSContext2D } from "@napi-rs/canvas";

import { lightningStrikes } from "../lightning.ts";
import type { StoryboardShot } from "../storyboard.ts";
import { createAtmosphere } from "./atmosphere.ts";
import { cameraReach, layerTop, paintBackdrop } from "./backdrop.ts";
import { apply, cameraAt, layerScale, layerTransform } from "./camera.ts";
import type { Affine, CameraOptions, CameraPose, View } from "./camera.ts";
import { applyFlash, applyGrain, applyScratches, applyVignette, drawBolt, makeVignette } from "./finish.ts";
import { lookOf } from "./grade.ts";
import { drawLive, drawShapes } from "./layers.ts";
import { makePalette } from "./palette.ts";
import { compositeOver, glowDot, inkOf, pixelsAt } from "./pixels.ts";
import type { Pixels, Rect } from "./pixels.ts";
import { createRandom, mixSeeds } from "./random.ts";
import { copyWindow, frameRect, mergeRects } from "./regions.ts";
import { buildScenery } from "./scenery/index.ts";
import type { Glow, WorldBox } from "./scenery/index.ts";
import type { Kernels } from "./kernels/index.ts";
import { actorBounds, createActors, drawActor, longestTravel } from "./subjects/index.ts";
import type { Actor, Figure } from "./subjects/index.ts";
import { readRect } from "./surfaces.ts";
import type { Surfaces } from "./surfaces.ts";

/** Draws the frames of one shot. */
export interface ShotRenderer {
  /**
   * Writes frame `local` (0-based within the shot) at byte address `at` of the kernels' memory:
   * RGBA, width × height × 4 bytes.
   */
  render(local: number, at: number): void;
}

/**
 * Independent random streams per part: adding a star must not move every raindrop. The numbers
 * are arbitrary but fixed forever, as changing them changes every video.
 */
const STREAM = { sky: 1, scenery: 2, actors: 3, atmosphere: 4, celestial: 5 } as const;

/**
 * Prepares a shot once and then composes each frame from three parts:
 * - the backdrop (see backdrop.ts): what the camera does not change, copied in, slid by whole
 *   pixels when the camera turns;
 * - moving scenery, redrawn with Skia when the camera travels or zooms (parallax changes every
 *   layer near enough to show it), and overlays: subjects and moving parts (waves), each drawn
 *   in a canvas the size of its own rectangle and blended in;
 * - particles, glows and the vignette, drawn in JavaScript straight into the frame buffer.
 * Skia's pixels are read back only where something moved, which is what keeps frames cheap.
 */
export function createShotRenderer(
  surfaces: Surfaces,
  kernels: Kernels,
  shot: StoryboardShot,
  frame: { width: number; height: number; fps: number },
): ShotRenderer {
  const { width, height, fps } = frame;
  const { scene, seed } = shot;
  const aspect = width / height;
  const view: View = { height, aspect };
  const look = lookOf(scene.style);
  const palette = makePalette(scene, createRandom(mixSeeds(seed, STREAM.celestial)).range(0.2, 0.8));
  const actorRandom = createRandom(mixSeeds(seed, STREAM.actors));
  const progressOf = (local: number) => (shot.frames > 1 ? local / (shot.frames - 1) : 0);
  // The scenery must reach as far as the camera will look; a tracking shot may follow its
  // subject all the way, so it is built for the subject's whole journey.
  const unfollowed: CameraOptions = { camera: scene.camera, pace: scene.pace, seed, weave: look.weave };
  const turnReach = cameraReach(unfollowed, shot.frames, fps, progressOf);
  const follows = scene.camera.move === "tracking" ? longestTravel(scene, shot.seconds) : 0;
  const margin = Math.max(-turnReach.minX, turnReach.maxX) + Math.max(turnReach.travel, follows) + 0.2;
  const scenery = buildScenery({
    // Only to build gradients: any canvas will do.
    ctx: surfaces.scenery(),
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
    speaking: { mouths: shot.mouths ?? [], fps },
  });
  // The subject that travels furthest leads a tracking shot.
  const journey = (actor: Actor) => Math.abs(actor.placeAt(shot.seconds).x - actor.placeAt(0).x);
  const lead = [...actors].sort((a, b) => journey(b) - journey(a))[0];
  const camera: CameraOptions =
    follows > 0 && lead && journey(lead) > 0
      ? {
          ...unfollowed,
          // Travel that keeps the lead where it is mid-shot (a layer at depth d slides d × travel).
          follow: (t) => (lead.placeAt(t).x - lead.placeAt(shot.seconds / 2).x) / lead.depth,
        }
      : unfollowed;
  const poses = Array.from({ length: shot.frames }, (_, local) =>
    cameraAt(camera, progressOf(local), local / fps),
  );
  const reach = cameraReach(camera, shot.frames, fps, progressOf);
  actors.sort((a, b) => a.depth - b.depth);
  const atmosphere = createAtmosphere({
    scene,
    palette,
    random: createRandom(mixSeeds(seed, STREAM.atmosphere)),
    width,
    height,
    glints: scenery.glints && { top: scenery.glints.top * height, bottom: scenery.glints.bottom * height },
    strikes: lightningStrikes(scene, seed),
  });
  const strength = look.vignette + (scene.light.moody ? 0.25 : 0) + (scene.light.spotlight ? 0.2 : 0);
  const vignette = makeVignette(width, height, Math.min(0.85, strength), look.vignetteInk);
  const backdrop = paintBackdrop({
    scene,
    scenery,
    palette,
    look,
    skySeed: mixSeeds(seed, STREAM.sky),
    reach,
    poses,
    view,
    vignette,
    kernels,
  });
  const moving = scenery.layers.filter((layer) => !backdrop.pinned.has(layer));
  const tops = new Map(moving.map((layer) => [layer, layerTop(layer)]));
  const ink = look.outline ? palette.ink : undefined;
  const lightSide = {
    x: palette.celestial.x < 0.5 ? -1 : 1,
    y: scene.light.spotlight || scene.setting === "stage" ? -1 : 0,
  };
  const { box } = backdrop;

  /** The backdrop's pixel offset for a pose, and the pose with its turn rounded to match. */
  const snapped = (pose: CameraPose) => {
    const ox = clamp(Math.round((pose.look.x - box.left) * height), 0, backdrop.width - width);
    const oy = clamp(Math.round((pose.look.y - box.top) * height), 0, backdrop.height - height);
    return { ox, oy, look: { x: ox / height + box.left, y: oy / height + box.top } };
  };

  const screenBox = (b: WorldBox, pose: CameraPose, depth: number): Rect | undefined => {
    const t = layerTransform(pose, depth, view);
    const [x0, y0] = apply(t, b.left, b.top);
    const [x1, y1] = apply(t, b.right, b.bottom);
    return frameRect(x0, y0, x1, y1, width, height);
  };

  // Each subject is posed once a frame: its shapes give both its region and what is drawn.
  let poseCache = { seconds: -1, figures: new Map<Actor, Figure>() };
  const posed = (actor: Actor, seconds: number): Figure => {
    if (poseCache.seconds !== seconds) poseCache = { seconds, figures: new Map() };
    let figure = poseCache.figures.get(actor);
    if (!figure) poseCache.figures.set(actor, (figure = actor.pose(seconds)));
    return figure;
  };

  /** Rectangles blended over the frame: subjects, and moving parts of pinned scenery. */
  const overlayRects = (pose: CameraPose, seconds: number): Rect[] => {
    const rects: Rect[] = [];
    for (const layer of backdrop.pinned) {
      for (const part of layer.live ?? []) push(rects, screenBox(part.bounds, pose, layer.depth));
    }
    for (const actor of actors)
      push(rects, screenBox(actorBounds(actor, seconds, posed(actor, seconds)), pose, actor.depth));
    return mergeRects(rects);
  };

  /** The first frame row redrawn for the moving layers at a pose (the height when none move). */
  const sceneryTop = (pose: CameraPose): number => {
    if (moving.length === 0) return height;
    const highest = Math.min(
      ...moving.map((layer) => apply(layerTransform(pose, layer.depth, view), 0, tops.get(layer) ?? 0)[1]),
    );
    return clamp(Math.floor(highest) - 1, 0, height);
  };
  // Sized once for the whole shot, so that the canvas is not remade as the band grows.
  const bandHeight = Math.max(
    1,
    ...poses.map((pose) => height - sceneryTop({ ...pose, look: snapped(pose).look })),
  );

  /**
   * Redraws the moving layers over the backdrop, from the highest of them down, and returns the
   * first row redrawn (the frame's height when nothing moves).
   */
  const drawScenery = (
    out: Uint8Array,
    ox: number,
    oy: number,
    pose: CameraPose,
    seconds: number,
  ): number => {
    const top = sceneryTop(pose);
    if (top >= height) return height;
    const rows = height - top;
    // The canvas holds only the redrawn band: frame row `top` is its row 0.
    const sctx = surfaces.scenery(width, bandHeight);
    sctx.save();
    sctx.setTransform(1, 0, 0, 1, 0, 0);
    sctx.beginPath();
    sctx.rect(0, 0, width, rows);
    sctx.clip();
    sctx.drawImage(backdrop.canvas, ox, oy + top, width, rows, 0, 0, width, rows);
    for (const layer of moving) {
      const [a, b, c, d, e, f] = layerTransform(pose, layer.depth, view);
      sctx.setTransform(a, b, c, d, e, f - top);
      drawShapes(sctx, layer.shapes, ink);
      drawLive(sctx, layer, seconds);
    }
    sctx.restore();
    out.set(readRect(sctx, { x: 0, y: 0, width, height: rows }), top * width * 4);
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
    for (const layer of backdrop.pinned) {
      // Subjects stand in front of the moving parts at or behind their depth.
      for (; next < actors.length && (actors[next]?.depth ?? 2) < layer.depth; next++)
        drawActorIn(octx, actors[next], at, seconds);
      if (!layer.live) continue;
      at(layer.depth);
      drawLive(octx, layer, seconds);
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
    drawActor(octx, actor, seconds, look, lightSide, posed(actor, seconds));
  };

  /** Glows of moving layers and of subjects' lamps, drawn in the frame buffer. */
  const drawGlows = (px: Pixels, pose: CameraPose, seconds: number) => {
    const glow = (g: Glow, t: Affine, scale: number) => {
      const [x, y] = apply(t, g.x, g.y);
      glowDot(px, x, y, g.radius * scale, inkOf(g.color), Math.round(256 * g.alpha));
    };
    for (const layer of moving) {
      const t = layerTransform(pose, layer.depth, view);
      for (const g of layer.glows ?? []) glow(g, t, height * layerScale(pose, layer.depth));
    }
    for (const actor of actors) {
      if (!actor.lights) continue;
      const { x, y, size } = actor.placeAt(seconds);
      const t = layerTransform(pose, actor.depth, view);
      const scale = size * height * layerScale(pose, actor.depth);
      for (const lamp of actor.lights(seconds))
        glow({ ...lamp, x: x + lamp.x * size * actor.facing, y: y + lamp.y * size }, t, scale);
    }
  };

  /** Indoors, where the window is on screen: rain and snow fall only there. */
  const weatherClip = (pose: CameraPose): Rect | undefined => {
    const pane = scenery.window;
    const wall = scenery.layers[0];
    if (!pane || !wall) return undefined;
    return screenBox(pane, pose, wall.depth) ?? { x: 0, y: 0, width: 0, height: 0 };
  };

  return {
    render(local, at) {
      const seconds = local / fps;
      const exact = poses[local] ?? cameraAt(camera, progressOf(local), seconds);
      const { ox, oy, look: turn } = snapped(exact);
      // Everything drawn over the backdrop uses the turn it was slid by, to the pixel.
      const pose = { ...exact, look: turn };
      const px = pixelsAt(kernels, at, width, height);
      const top = drawScenery(px.bytes, ox, oy, pose, seconds);
      const source = { at: backdrop.pixels.byteOffset, width: backdrop.width };
      copyWindow(source, ox, oy, px, top < height ? { from: top, to: height } : undefined);
      // The vignette belongs to the scenery: painted into the backdrop's pixels when the camera
      // stays put (then only the redrawn rows need it), else applied to the whole frame here.
      if (vignette) applyVignette(px, vignette, backdrop.vignetted ? top : 0, height);
      for (const rect of overlayRects(pose, seconds)) drawOverlay(px, rect, pose, seconds);
      drawGlows(px, pose, seconds);
      atmosphere.weather(px, seconds, weatherClip(pose));
      atmosphere.air(px, seconds, undefined);
      const lightning = atmosphere.lightning(seconds);
      if (lightning.bolt) drawBolt(px, lightning.bolt, palette.flash);
      if (lightning.flash > 0) applyFlash(px, palette.flash, lightning.flash);
      applyGrain(px, seed, local, look.grain);
      if (look.scratches) applyScratches(px, seed, local);
    },
  };
}

function push(rects: Rect[], rect: Rect | undefined): void {
  if (rect) rects.push(rect);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
