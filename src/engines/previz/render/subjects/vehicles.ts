import { Path2D } from "@napi-rs/canvas";
import { oval } from "../scenery/shapes.ts";

import type { Vehicle } from "../../scene-plan.ts";
import type { Figure } from "./types.ts";

/**
 * Vehicles facing right, sized 1 = their height, wheels (or hull bottom) at 0. Wheels turn and
 * boats bob because their poses are functions of time, like everything else.
 */

function wheel(body: Path2D, light: Path2D, x: number, r: number, t: number, speed: number): void {
  body.moveTo(x + r, -r);
  body.arc(x, -r, r, 0, 2 * Math.PI);
  // A spoke shows the wheel turning.
  const a = -speed * t;
  light.moveTo(x + Math.cos(a) * r * 0.15, -r + Math.sin(a) * r * 0.15);
  light.lineTo(x + Math.cos(a) * r * 0.8, -r + Math.sin(a) * r * 0.8);
  light.lineTo(x + Math.cos(a + 0.25) * r * 0.8, -r + Math.sin(a + 0.25) * r * 0.8);
  light.closePath();
}

export function poseVehicle(vehicle: Vehicle, t: number): Figure {
  const body = new Path2D();
  const detail = new Path2D();
  const light = new Path2D();
  switch (vehicle) {
    case "car":
      body.roundRect(-1.1, -0.75, 2.2, 0.45, 0.12);
      detail.moveTo(-0.6, -0.72);
      detail.lineTo(-0.35, -1.1);
      detail.lineTo(0.45, -1.1);
      detail.lineTo(0.75, -0.72);
      detail.closePath();
      light.rect(-0.3, -1.02, 0.32, 0.24);
      light.rect(0.08, -1.02, 0.34, 0.24);
      wheel(body, light, -0.65, 0.22, t, 12);
      wheel(body, light, 0.7, 0.22, t, 12);
      break;
    case "motorcycle":
    case "bicycle": {
      const r = vehicle === "bicycle" ? 0.32 : 0.28;
      wheel(body, light, -0.55, r, t, 8);
      wheel(body, light, 0.55, r, t, 8);
      body.moveTo(-0.55, -r);
      body.lineTo(0, -0.75);
      body.lineTo(0.55, -r);
      body.lineTo(0.35, -0.8);
      body.lineTo(0, -0.7);
      body.closePath();
      if (vehicle === "motorcycle") detail.roundRect(-0.4, -0.85, 0.8, 0.25, 0.1);
      // The rider.
      detail.roundRect(-0.18, -1.5, 0.22, 0.6, 0.08);
      detail.moveTo(0.05, -1.62);
      detail.arc(-0.05, -1.62, 0.1, 0, 2 * Math.PI);
      break;
    }
    case "boat": {
      const rock = 0.05 * Math.sin(1.3 * t);
      body.moveTo(-1.2, -0.35 + rock);
      body.lineTo(1.3, -0.35 - rock);
      body.lineTo(0.9, 0);
      body.lineTo(-1.0, 0);
      body.closePath();
      body.rect(-0.05, -2.1, 0.05, 1.8);
      detail.moveTo(0.02, -2.0);
      detail.lineTo(0.95, -0.45);
      detail.lineTo(0.02, -0.45);
      detail.closePath();
      break;
    }
    case "train":
      for (let car = 0; car < 4; car++) {
        const x = -car * 2.3;
        body.roundRect(x - 1.05, -1.0, 2.1, 0.85, car === 0 ? 0.3 : 0.06);
        for (let w = 0; w < 4; w++) light.rect(x - 0.85 + w * 0.45, -0.85, 0.3, 0.28);
        wheel(body, detail, x - 0.7, 0.13, t, 20);
        wheel(body, detail, x + 0.7, 0.13, t, 20);
      }
      break;
    case "plane":
      oval(body, 0, -0.5, 1.4, 0.18);
      detail.moveTo(-0.2, -0.5);
      detail.lineTo(-0.6, 0.1);
      detail.lineTo(-0.35, 0.1);
      detail.lineTo(0.3, -0.45);
      detail.closePath();
      detail.moveTo(-1.1, -0.55);
      detail.lineTo(-1.4, -1.0);
      detail.lineTo(-1.2, -1.0);
      detail.lineTo(-0.9, -0.55);
      detail.closePath();
      for (let w = 0; w < 6; w++) light.rect(-0.7 + w * 0.25, -0.58, 0.1, 0.06);
      break;
    case "spaceship":
      body.moveTo(1.3, -0.5);
      body.lineTo(-0.8, -0.85);
      body.lineTo(-1.0, -0.5);
      body.lineTo(-0.8, -0.15);
      body.closePath();
      detail.moveTo(-0.5, -0.75);
      detail.lineTo(-1.0, -1.25);
      detail.lineTo(-0.2, -0.7);
      detail.closePath();
      detail.moveTo(-0.5, -0.25);
      detail.lineTo(-1.0, 0.25);
      detail.lineTo(-0.2, -0.3);
      detail.closePath();
      oval(light, 0.55, -0.56, 0.22, 0.08);
      break;
  }
  return { body, detail, light };
}

/** Where a vehicle's lamps are (own units): headlights, cabin windows, an engine's flame. */
export function vehicleLights(
  vehicle: Vehicle,
): Array<{ x: number; y: number; radius: number; kind: "lamp" | "flame" }> {
  switch (vehicle) {
    case "car":
      return [{ x: 1.1, y: -0.6, radius: 0.5, kind: "lamp" }];
    case "motorcycle":
      return [{ x: 0.45, y: -0.8, radius: 0.4, kind: "lamp" }];
    case "train":
      return [{ x: 1.05, y: -0.7, radius: 0.6, kind: "lamp" }];
    case "spaceship":
      return [{ x: -1.05, y: -0.5, radius: 0.7, kind: "flame" }];
    default:
      return [];
  }
}
