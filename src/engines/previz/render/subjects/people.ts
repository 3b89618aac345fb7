import { Path2D } from "@napi-rs/canvas";
import { oval } from "../scenery/shapes.ts";

import type { Action, PersonRole } from "../../scene-plan.ts";
import type { Figure } from "./types.ts";

/**
 * People as silhouettes posed procedurally from the action and the time: a walk cycle, a run, a
 * sway, a dance. Proportions are in figure heights (feet at 0, top of the head at −1).
 */

interface Pose {
  bob: number;
  tilt: number;
  /** Limb angles from hanging straight down, radians, positive = forward. */
  legs: [number, number];
  arms: [number, number];
  /** Swimmers and floaters lie along the water. */
  lying: boolean;
}

function poseAt(action: Action, t: number): Pose {
  const cycle = (hz: number, phase = 0) => Math.sin(2 * Math.PI * hz * t + phase);
  switch (action) {
    case "walks": {
      const s = cycle(0.9);
      return {
        bob: 0.012 * Math.abs(s),
        tilt: 0.03,
        legs: [0.4 * s, -0.4 * s],
        arms: [-0.3 * s, 0.3 * s],
        lying: false,
      };
    }
    case "runs": {
      const s = cycle(1.5);
      return {
        bob: 0.03 * Math.abs(s),
        tilt: 0.16,
        legs: [0.8 * s, -0.8 * s],
        arms: [-0.9 * s, 0.9 * s],
        lying: false,
      };
    }
    case "sways":
      return {
        bob: 0,
        tilt: 0.07 * cycle(0.45),
        legs: [0.05, -0.05],
        arms: [1.1, 0.9 + 0.1 * cycle(0.45)],
        lying: false,
      };
    case "dances": {
      const wave = 0.35 * cycle(2);
      return {
        bob: 0.025 * Math.abs(cycle(1)),
        tilt: 0.12 * cycle(1),
        legs: [0.25 * cycle(1), -0.25 * cycle(1)],
        arms: [2.5 + wave, -2.5 + wave],
        lying: false,
      };
    }
    case "sits":
      return { bob: -0.25, tilt: 0, legs: [1.45, 1.35], arms: [0.5, 0.4 + 0.05 * cycle(0.3)], lying: false };
    case "swims": {
      const s = cycle(1.2);
      return {
        bob: 0,
        tilt: 0,
        legs: [0.25 * s, -0.25 * s],
        arms: [2.9 + 0.4 * s, 2.9 - 0.4 * s],
        lying: true,
      };
    }
    case "floats":
      return {
        bob: 0.02 * cycle(0.2),
        tilt: 0.35 * cycle(0.07),
        legs: [0.2, -0.15],
        arms: [0.9 + 0.2 * cycle(0.25), -0.7],
        lying: false,
      };
    default:
      return {
        bob: 0.004 * cycle(0.25),
        tilt: 0.01 * cycle(0.2),
        legs: [0.04, -0.04],
        arms: [0.08, -0.08],
        lying: false,
      };
  }
}

/**
 * Adds a limb hanging from a joint at (x, y), swung by `angle` (positive swings the far end
 * toward −x), as a quad with a round end, wound like the arcs so that overlaps never cancel.
 */
function addLimb(path: Path2D, x: number, y: number, length: number, width: number, angle: number): void {
  const ex = x - Math.sin(angle) * length;
  const ey = y + Math.cos(angle) * length;
  const nx = (Math.cos(angle) * width) / 2;
  const ny = (Math.sin(angle) * width) / 2;
  path.moveTo(x + nx, y + ny);
  path.lineTo(ex + nx, ey + ny);
  path.lineTo(ex - nx, ey - ny);
  path.lineTo(x - nx, y - ny);
  path.closePath();
  path.moveTo(ex + width / 2, ey);
  path.arc(ex, ey, width / 2, 0, 2 * Math.PI);
}

/** Head size relative to the figure: children have bigger heads. */
const HEAD: Partial<Record<PersonRole, number>> = { child: 0.085, astronaut: 0.1 };

/** A person posed at `t` seconds, facing right (the caller mirrors it). Angles swing forward. */
export function posePerson(
  role: PersonRole,
  action: Action,
  t: number,
): Figure & { tilt: number; bob: number; lying: boolean } {
  const pose = poseAt(action, t);
  const body = new Path2D();
  const detail = new Path2D();
  const light = new Path2D();
  const head = HEAD[role] ?? 0.065;
  const bulky = role === "astronaut" || role === "diver";
  const torsoWidth = bulky ? 0.26 : 0.2;
  // Forward is +x, and a positive angle swings toward −x: mirror the angles.
  const fwd = -1;
  light.moveTo(head, -0.9);
  light.arc(0, -0.9, head, 0, 2 * Math.PI);
  body.rect(-0.025, -0.85, 0.05, 0.06);
  detail.roundRect(-torsoWidth / 2, -0.8, torsoWidth, 0.36, 0.05);
  if (role === "woman" || role === "dancer") {
    // A dress: a trapezoid from the waist, flaring as she moves.
    const flare = 0.16 + 0.04 * Math.abs(pose.legs[0]);
    detail.moveTo(-0.09, -0.5);
    detail.lineTo(0.09, -0.5);
    detail.lineTo(flare, -0.22);
    detail.lineTo(-flare, -0.22);
    detail.closePath();
    oval(body, -0.03, -0.86, head * 1.1, head * 1.5, 0.2, 0, 2 * Math.PI);
  }
  if (role === "soldier" || role === "astronaut")
    oval(body, 0, -0.93, head * 1.25, head * 0.9, 0, Math.PI, 2 * Math.PI);
  if (role === "astronaut") {
    body.roundRect(-0.2, -0.78, 0.08, 0.3, 0.02);
    oval(light, 0.02, -0.9, head * 0.7, head * 0.45);
  }
  if (role === "diver") body.roundRect(-0.2, -0.8, 0.09, 0.32, 0.04);
  const legWidth = bulky ? 0.09 : 0.07;
  addLimb(body, -0.045, -0.47, 0.45, legWidth, fwd * pose.legs[0]);
  addLimb(body, 0.045, -0.47, 0.45, legWidth, fwd * pose.legs[1]);
  addLimb(detail, -0.085, -0.76, 0.34, 0.05, fwd * pose.arms[0]);
  addLimb(detail, 0.085, -0.76, 0.34, 0.05, fwd * pose.arms[1]);
  if (role === "musician") {
    // A saxophone held across the chest: a bent tube with a flared bell.
    light.moveTo(0.02, -0.74);
    light.lineTo(0.12, -0.56);
    light.lineTo(0.1, -0.42);
    light.lineTo(0.2, -0.4);
    light.lineTo(0.18, -0.5);
    light.lineTo(0.14, -0.5);
    light.lineTo(0.05, -0.74);
    light.closePath();
  }
  if (role === "diver") {
    addLimb(body, -0.045, -0.05, 0.12, 0.05, fwd * pose.legs[0]);
    addLimb(body, 0.045, -0.05, 0.12, 0.05, fwd * pose.legs[1]);
  }
  const face = { x: 0, y: -0.9, radius: head };
  return { body, detail, light, face, tilt: pose.tilt, bob: pose.bob, lying: pose.lying };
}
