import { createCanvas, Path2D } from "@napi-rs/canvas";
import type { Canvas, SKRSContext2D } from "@napi-rs/canvas";

import { createAtmosphere } from "./atmosphere.ts";
import { cameraAt, layerTransform, MAX_PAN } from "./camera.ts";
import type { Affine } from "./camera.ts";
import { css } from "./color.ts";
import { makePalette } from "./palette.ts";
import type { Palette } from "./palette.ts";
import { createRandom, mixSeeds } from "./random.ts";
import type { Random } from "./random.ts";
import { buildScenery } from "./scenery/index.ts";
import type { Layer, LayerShape } from "./scenery/index.ts";
import { glow, verticalGradient } from "./scenery/shapes.ts";
import type { ScenePlan } from "./scene-plan.ts";
import { createFigure, drawFigure } from "./subject.ts";

export interface ShotRenderOptions {
  width: number;
  height: number;
  /** The shot's seed (request seed mixed with the shot index). */
  seed: number;
  /** Length of the shot, so walkers can be placed to cross the frame within it. */
  seconds: number;
}

/** Draws the frames of one shot into a canvas the caller owns and reuses. */
export interface ShotRenderer {
  /**
   * Draws the frame at `progress` (0–1 through the shot: drives the camera move) and `seconds`
   * since the shot's start (drives motion that has a natural speed: walking, rain, waves).
   */
  drawFrame(progress: number, seconds: number): void;
}

/**
 * Independent random streams per part: adding a star must not move every raindrop. The numbers
 * are arbitrary but fixed forever, as changing them changes every video.
 */
const STREAM = { sky: 1, scenery: 2, figure: 3, atmosphere: 4 } as const;

/**
 * Prepares a shot once (palette, scenery paths, gradients, particles) so that each frame only
 * replays prebuilt paths under camera transforms: no per-pixel work in JavaScript.
 * @example
 * const shot = createShotRenderer(ctx, interpretPrompt("a city at night"), { width, height, seed, seconds: 5 });
 * shot.drawFrame(0.5, 2.5);
 */
export function createShotRenderer(
  ctx: SKRSContext2D,
  scene: ScenePlan,
  options: ShotRenderOptions,
): ShotRenderer {
  const { width, height, seed } = options;
  const aspect = width / height;
  const palette = makePalette(scene);
  const skyRandom = createRandom(mixSeeds(seed, STREAM.sky));
  const celestialX = aspect * skyRandom.range(0.2, 0.8);
  const margin = MAX_PAN + 0.15;
  const atmosphere = createAtmosphere(scene.atmosphere, {
    random: createRandom(mixSeeds(seed, STREAM.atmosphere)),
    palette,
    aspect,
    ctx,
  });
  const scenery = buildScenery({
    ctx,
    scene,
    palette,
    random: createRandom(mixSeeds(seed, STREAM.scenery)),
    left: -margin,
    right: aspect + margin,
    aspect,
    celestialX,
    weather: atmosphere.precipitation,
  });
  const figure =
    scene.subject.kind === "person"
      ? createFigure({
          action: scene.subject.action,
          pace: scene.camera.pace,
          random: createRandom(mixSeeds(seed, STREAM.figure)),
          palette,
          aspect,
          groundY: scenery.groundY,
          shotSeconds: options.seconds,
          celestialX,
        })
      : undefined;

  const world: Affine = [height, 0, 0, height, 0, 0];
  const view = { height, focus: { x: aspect / 2, y: 0.6 } };
  const vignette = vignettePaint(ctx, aspect, palette.vignette);
  // A camera that never moves sees the same scenery every frame up to the first moving layer.
  const stillLayers = scene.camera.move === "static" ? leadingStillLayers(scenery.layers) : 0;
  const liveLayers = scenery.layers.slice(stillLayers);
  const backdrop =
    scenery.hidesSky && stillLayers === 0
      ? undefined
      : paintBackdrop({
          width,
          height,
          world,
          sky: scenery.hidesSky ? undefined : { palette, random: skyRandom, celestialX },
          layers: scenery.layers.slice(0, stillLayers).map((layer) => ({
            shapes: layer.shapes,
            transform: layerTransform(cameraAt(scene.camera, 0), layer.depth, view),
          })),
        });

  return {
    drawFrame(progress, seconds) {
      const camera = cameraAt(scene.camera, progress);
      if (backdrop) {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.drawImage(backdrop, 0, 0);
      }
      for (const layer of liveLayers) {
        ctx.setTransform(...layerTransform(camera, layer.depth, view));
        drawShapes(ctx, layer.shapes);
        layer.animate?.(ctx, seconds);
      }
      if (figure) {
        // Depth 1, like the ground it stands on, so its feet stay planted while the camera moves.
        ctx.setTransform(...layerTransform(camera, 1, view));
        drawFigure(ctx, figure, seconds);
      }
      ctx.setTransform(...world);
      // Indoors, rain and snow only show through a window (the scenery draws them there).
      if (!scenery.hidesSky) atmosphere.precipitation(ctx, seconds);
      atmosphere.air(ctx, seconds);
      if (vignette) {
        ctx.fillStyle = vignette.fill;
        ctx.fill(vignette.path, "evenodd");
      }
    },
  };
}

/** How many layers from the back have nothing that moves by itself. */
function leadingStillLayers(layers: readonly Layer[]): number {
  const firstMoving = layers.findIndex((layer) => layer.animate !== undefined);
  return firstMoving === -1 ? layers.length : firstMoving;
}

/**
 * Paints what does not change during a shot once, into its own canvas, so that each frame starts
 * with one blit instead of redrawing it: the sky always (at infinity a dolly or pan changes
 * nothing, so it is pinned to the frame), and the layers behind the first moving one when the
 * camera is static.
 */
function paintBackdrop(options: {
  width: number;
  height: number;
  world: Affine;
  sky: { palette: Palette; random: Random; celestialX: number } | undefined;
  layers: ReadonlyArray<{ shapes: readonly LayerShape[]; transform: Affine }>;
}): Canvas {
  const canvas = createCanvas(options.width, options.height);
  const ctx = canvas.getContext("2d", { alpha: false });
  const aspect = options.width / options.height;
  if (options.sky) {
    const { palette, random, celestialX } = options.sky;
    ctx.setTransform(...options.world);
    ctx.fillStyle = verticalGradient(ctx, 0, 0.72, css(palette.skyTop), css(palette.skyHorizon));
    ctx.fillRect(-1, -1, aspect + 2, 3);
    drawShapes(ctx, skyBodies(ctx, palette, random, aspect, celestialX));
  }
  for (const layer of options.layers) {
    ctx.setTransform(...layer.transform);
    drawShapes(ctx, layer.shapes);
  }
  return canvas;
}

function drawShapes(ctx: SKRSContext2D, shapes: readonly LayerShape[]): void {
  for (const shape of shapes) {
    if ("fill" in shape) {
      ctx.fillStyle = shape.fill;
      ctx.fill(shape.path);
    } else {
      ctx.strokeStyle = shape.stroke;
      ctx.lineWidth = shape.lineWidth;
      ctx.stroke(shape.path);
    }
  }
}

/** Stars, then the sun or moon with its halo. */
function skyBodies(
  ctx: SKRSContext2D,
  palette: Palette,
  random: Random,
  aspect: number,
  celestialX: number,
): LayerShape[] {
  const shapes: LayerShape[] = [];
  const starCount = Math.round(palette.stars * 260 * (aspect + 0.4));
  if (starCount > 0) {
    const stars = new Path2D();
    for (let i = 0; i < starCount; i++) {
      const size = random.range(0.0012, 0.0032);
      stars.rect(random.range(-0.2, aspect + 0.2), random.range(-0.1, 0.62), size, size);
    }
    shapes.push({ path: stars, fill: css(palette.particles, Math.min(1, 0.4 + palette.stars * 0.5)) });
  }
  const { celestial } = palette;
  shapes.push(glow(ctx, celestialX, celestial.y, celestial.radius * 5, celestial.glow, 0.5));
  const disc = new Path2D();
  disc.arc(celestialX, celestial.y, celestial.radius, 0, 2 * Math.PI);
  shapes.push({ path: disc, fill: css(celestial.color) });
  return shapes;
}

/**
 * Darkened corners. Only the ring outside the clear middle is filled (even-odd), because a
 * full-frame radial gradient costs as much as the rest of the frame.
 */
function vignettePaint(ctx: SKRSContext2D, aspect: number, strength: number) {
  if (strength <= 0) return undefined;
  const radius = Math.hypot(aspect, 1) / 2;
  const clear = radius * 0.7;
  const fill = ctx.createRadialGradient(aspect / 2, 0.5, clear, aspect / 2, 0.5, radius);
  fill.addColorStop(0, "rgba(0,0,0,0)");
  fill.addColorStop(1, `rgba(0,0,0,${strength})`);
  const path = new Path2D();
  path.rect(-0.1, -0.1, aspect + 0.2, 1.2);
  path.arc(aspect / 2, 0.5, clear, 0, 2 * Math.PI);
  return { path, fill };
}
