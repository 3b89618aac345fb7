import { Path2D } from "@napi-rs/canvas";
import { oval } from "../scenery/shapes.ts";

import type { Action, Animal } from "../../scene-plan.ts";
import type { Figure } from "./types.ts";

/**
 * Animals as silhouettes, facing right, sized 1 = their height (feet at 0). Four-legged ones
 * share one body plan with different proportions; birds flap; fish and whales swish their tails.
 */

interface Build {
  /** Body length and depth, leg length, leg width, neck length, head size, tail length. */
  length: number;
  depth: number;
  legs: number;
  leg: number;
  neck: number;
  head: number;
  tail: number;
}

/** Proportions in body heights (ground to the top of the head = 1). */
const BUILDS: Record<"dog" | "cat" | "horse" | "deer", Build> = {
  dog: { length: 1.3, depth: 0.36, legs: 0.42, leg: 0.09, neck: 0.22, head: 0.15, tail: 0.35 },
  cat: { length: 1.2, depth: 0.3, legs: 0.36, leg: 0.07, neck: 0.16, head: 0.14, tail: 0.6 },
  horse: { length: 1.15, depth: 0.3, legs: 0.5, leg: 0.06, neck: 0.32, head: 0.12, tail: 0.35 },
  deer: { length: 0.95, depth: 0.24, legs: 0.52, leg: 0.04, neck: 0.3, head: 0.09, tail: 0.08 },
};

/** A limb from (x, y) at `angle` from straight down (positive swings forward, +x). */
function limb(path: Path2D, x: number, y: number, length: number, width: number, angle: number): void {
  const ex = x + Math.sin(angle) * length;
  const ey = y + Math.cos(angle) * length;
  const nx = (Math.cos(angle) * width) / 2;
  const ny = (-Math.sin(angle) * width) / 2;
  path.moveTo(x + nx, y + ny);
  path.lineTo(ex + nx, ey + ny);
  path.lineTo(ex - nx, ey - ny);
  path.lineTo(x - nx, y - ny);
  path.closePath();
}

function quadruped(animal: "dog" | "cat" | "horse" | "deer", action: Action, t: number): Figure {
  const b = BUILDS[animal];
  const body = new Path2D();
  const detail = new Path2D();
  const moving = action === "walks" || action === "runs";
  const rate = action === "runs" ? 2.4 : 1.2;
  const swing = moving ? (action === "runs" ? 0.6 : 0.32) : 0;
  const phase = 2 * Math.PI * rate * t;
  const bob = moving ? 0.025 * Math.abs(Math.sin(phase)) : 0;
  // The back line sits on top of the legs; the body hangs below it.
  const back = -b.legs - b.depth - bob;
  const half = b.length / 2;
  oval(body, 0, back + b.depth / 2, half, b.depth / 2);
  const hip = back + b.depth * 0.6;
  const gait = (offset: number) => swing * Math.sin(phase + offset);
  limb(body, half * 0.72, hip, b.legs + b.depth * 0.4 - bob, b.leg, gait(0));
  limb(detail, half * 0.55, hip, b.legs + b.depth * 0.4 - bob, b.leg, gait(Math.PI));
  limb(body, -half * 0.7, hip, b.legs + b.depth * 0.4 - bob, b.leg * 1.2, gait(Math.PI + 0.5));
  limb(detail, -half * 0.55, hip, b.legs + b.depth * 0.4 - bob, b.leg * 1.2, gait(0.5));
  // The neck rises forward from the shoulders to the head.
  const shoulderX = half * 0.75;
  const headX = shoulderX + b.neck * 0.55;
  const headY = back - b.neck * 0.8 + (action === "stands" ? 0.015 * Math.sin(0.8 * t) : 0);
  body.moveTo(shoulderX - b.depth * 0.3, back + b.depth * 0.5);
  body.lineTo(headX - b.head * 0.4, headY);
  body.lineTo(headX + b.head * 0.3, headY + b.head * 0.2);
  body.lineTo(shoulderX + b.depth * 0.35, back + b.depth * 0.6);
  body.closePath();
  oval(body, headX + b.head * 0.4, headY + b.head * 0.2, b.head * 0.95, b.head * 0.55, 0.35, 0, 2 * Math.PI);
  // Ears.
  body.moveTo(headX - b.head * 0.2, headY - b.head * 0.1);
  body.lineTo(headX - b.head * 0.05, headY - b.head * (animal === "cat" ? 1.1 : 0.8));
  body.lineTo(headX + b.head * 0.25, headY - b.head * 0.05);
  body.closePath();
  // Dogs and cats carry their tails up; horses and deer let them hang.
  const wag = animal === "dog" ? 0.35 * Math.sin(2 * Math.PI * 3 * t) : 0.12 * Math.sin(t);
  const carriage = animal === "dog" || animal === "cat" ? -2.3 : -0.45;
  limb(body, -half * 0.9, back + b.depth * 0.2, b.tail, b.leg * 0.7, carriage + wag);
  if (animal === "deer") {
    for (const side of [-1, 1]) {
      limb(detail, headX, headY - b.head * 0.3, 0.2, 0.02, Math.PI + 0.35 * side - 0.2);
      limb(detail, headX + 0.05 * side, headY - 0.13, 0.09, 0.016, Math.PI + 0.9 * side);
    }
  }
  if (animal === "horse") limb(detail, shoulderX + 0.02, back - 0.02, b.neck * 0.8, 0.05, Math.PI - 0.55);
  return { body, detail, light: new Path2D() };
}

function bird(t: number): Figure {
  const body = new Path2D();
  const flap = Math.sin(2 * Math.PI * 3.2 * t);
  oval(body, 0, -0.5, 0.35, 0.12);
  oval(body, 0.33, -0.56, 0.1, 0.08);
  for (const side of [1, -1]) {
    body.moveTo(-0.12, -0.52);
    body.lineTo(-0.05 - 0.1 * side, -0.5 - 0.55 * flap * side);
    body.lineTo(0.15, -0.52);
    body.closePath();
  }
  body.moveTo(-0.3, -0.5);
  body.lineTo(-0.5, -0.6);
  body.lineTo(-0.5, -0.4);
  body.closePath();
  return { body, detail: new Path2D(), light: new Path2D() };
}

function swimmer(whale: boolean, t: number): Figure {
  const body = new Path2D();
  const light = new Path2D();
  const swish = Math.sin(2 * Math.PI * (whale ? 0.4 : 2) * t);
  const length = whale ? 1.6 : 1;
  oval(body, 0, -0.5, length / 2, 0.28);
  const tx = -length / 2;
  body.moveTo(tx + 0.05, -0.5);
  body.lineTo(tx - 0.3, -0.5 - 0.25 + 0.15 * swish);
  body.lineTo(tx - 0.3, -0.5 + 0.25 + 0.15 * swish);
  body.closePath();
  if (!whale) {
    // The dorsal fin.
    body.moveTo(0, -0.72);
    body.lineTo(0.15, -0.95);
    body.lineTo(0.22, -0.7);
    body.closePath();
  }
  light.moveTo(length * 0.38 + 0.04, -0.56);
  light.arc(length * 0.38, -0.56, 0.04, 0, 2 * Math.PI);
  return { body, detail: new Path2D(), light };
}

/** An animal posed at `t` seconds, facing right. */
export function poseAnimal(animal: Animal, action: Action, t: number): Figure {
  if (animal === "bird") return bird(t);
  if (animal === "fish" || animal === "whale") return swimmer(animal === "whale", t);
  return quadruped(animal, action, t);
}
