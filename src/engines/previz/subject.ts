import { Path2D } from "@napi-rs/canvas";
import type { SKRSContext2D } from "@napi-rs/canvas";

import { css } from "./color.ts";
import type { Palette } from "./palette.ts";
import type { Random } from "./random.ts";
import type { Pace, SubjectAction } from "./scene-plan.ts";

/**
 * The subject: a person drawn as a silhouette with a rim of light, posed procedurally from the
 * action and the time. Proportions are in figure heights (feet at 0, head at -1).
 */
export interface Figure {
  action: SubjectAction;
  /** World x of the feet at the start of the shot. */
  startX: number;
  groundY: number;
  /** World units from feet to top of the head. */
  height: number;
  /** Walking/running direction: 1 = to the right. */
  direction: 1 | -1;
  /** Multiplies the speed of every motion. */
  tempo: number;
  fill: string;
  rim: string;
  /** Which side the light comes from (-1 left, 1 right): where the rim shows. */
  rimSide: 1 | -1;
}

const TEMPO: Record<Pace, number> = { slow: 0.7, normal: 1, fast: 1.5 };
/** World units per second a figure covers; walkers cross about a third of a 16:9 frame in 5 s. */
const TRAVEL_SPEED: Partial<Record<SubjectAction, number>> = { walks: 0.1, runs: 0.28 };

export function createFigure(options: {
  action: SubjectAction;
  pace: Pace;
  random: Random;
  palette: Palette;
  aspect: number;
  groundY: number;
  shotSeconds: number;
  celestialX: number;
}): Figure {
  const { random, aspect, action } = options;
  const direction = random.next() < 0.5 ? 1 : -1;
  const tempo = TEMPO[options.pace];
  const travel = (TRAVEL_SPEED[action] ?? 0) * tempo * options.shotSeconds;
  // Walkers are centred on the middle of their path, so they cross the frame's centre mid-shot.
  const centre = aspect * random.range(0.4, 0.6);
  return {
    action,
    startX: centre - (direction * travel) / 2,
    groundY: options.groundY,
    height: Math.min(0.46, aspect * 0.8) * random.range(0.9, 1),
    direction,
    tempo,
    fill: css(options.palette.subject),
    rim: css(options.palette.rim, 0.85),
    rimSide: options.celestialX > centre ? 1 : -1,
  };
}

interface Pose {
  x: number;
  bob: number;
  tilt: number;
  /** Limb angles from hanging straight down, radians, positive = forward. */
  legs: [number, number];
  arms: [number, number];
}

function poseAt(figure: Figure, seconds: number): Pose {
  const t = seconds * figure.tempo;
  const x = figure.startX + figure.direction * (TRAVEL_SPEED[figure.action] ?? 0) * seconds * figure.tempo;
  const cycle = (hz: number) => Math.sin(2 * Math.PI * hz * t);
  switch (figure.action) {
    case "walks": {
      const s = cycle(0.9);
      return {
        x,
        bob: 0.012 * Math.abs(s),
        tilt: 0.03,
        legs: [0.4 * s, -0.4 * s],
        arms: [-0.3 * s, 0.3 * s],
      };
    }
    case "runs": {
      const s = cycle(1.5);
      return { x, bob: 0.03 * Math.abs(s), tilt: 0.16, legs: [0.8 * s, -0.8 * s], arms: [-0.9 * s, 0.9 * s] };
    }
    case "sways":
      return {
        x,
        bob: 0,
        tilt: 0.07 * cycle(0.45),
        legs: [0.05, -0.05],
        arms: [1.1, 0.9 + 0.1 * cycle(0.45)],
      };
    case "dances": {
      const wave = 0.35 * cycle(2);
      return {
        x,
        bob: 0.02 * Math.abs(cycle(1)),
        tilt: 0.12 * cycle(1),
        legs: [0.2, -0.2],
        arms: [2.5 + wave, -2.5 + wave],
      };
    }
    case "stands":
      return {
        x,
        bob: 0.004 * cycle(0.25),
        tilt: 0.01 * cycle(0.2),
        legs: [0.04, -0.04],
        arms: [0.08, -0.08],
      };
  }
}

/**
 * Adds a limb hanging from a joint at (x, y), swung by `angle` (radians; positive swings the far
 * end toward −x), as a quad with a round end. Built as geometry rather than a scaled shape so
 * that thickness does not grow with length. Always wound clockwise, like the arcs, so overlapping
 * parts never cancel under the non-zero fill rule.
 */
function addLimb(body: Path2D, x: number, y: number, length: number, width: number, angle: number): void {
  const ex = x - Math.sin(angle) * length;
  const ey = y + Math.cos(angle) * length;
  const nx = (Math.cos(angle) * width) / 2;
  const ny = (Math.sin(angle) * width) / 2;
  body.moveTo(x + nx, y + ny);
  body.lineTo(ex + nx, ey + ny);
  body.lineTo(ex - nx, ey - ny);
  body.lineTo(x - nx, y - ny);
  body.closePath();
  body.moveTo(ex + width / 2, ey);
  body.arc(ex, ey, width / 2, 0, 2 * Math.PI);
}

/** Draws the figure at `seconds` into the shot, in the current (world) transform. */
export function drawFigure(ctx: SKRSContext2D, figure: Figure, seconds: number): void {
  const pose = poseAt(figure, seconds);
  const body = new Path2D();
  body.moveTo(0.065, -0.9);
  body.arc(0, -0.9, 0.065, 0, 2 * Math.PI);
  body.roundRect(-0.1, -0.8, 0.2, 0.36, 0.05);
  body.rect(-0.025, -0.85, 0.05, 0.06);
  // Angles swing "forward": mirrored when the figure faces left, so it never moonwalks.
  const dir = -figure.direction;
  addLimb(body, -0.045, -0.47, 0.45, 0.07, dir * pose.legs[0]);
  addLimb(body, 0.045, -0.47, 0.45, 0.07, dir * pose.legs[1]);
  addLimb(body, -0.085, -0.76, 0.34, 0.05, dir * pose.arms[0]);
  addLimb(body, 0.085, -0.76, 0.34, 0.05, dir * pose.arms[1]);

  ctx.save();
  ctx.translate(pose.x, figure.groundY - pose.bob);
  ctx.scale(figure.height, figure.height);
  ctx.rotate(-dir * pose.tilt);
  ctx.save();
  ctx.translate(figure.rimSide * 0.014, -0.006);
  ctx.fillStyle = figure.rim;
  ctx.fill(body);
  ctx.restore();
  ctx.fillStyle = figure.fill;
  ctx.fill(body);
  ctx.restore();
}
