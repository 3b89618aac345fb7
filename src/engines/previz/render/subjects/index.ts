import type { SKRSContext2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import type { Look } from "../grade.ts";
import type { Palette } from "../palette.ts";
import type { Random } from "../random.ts";
import type { Glow, Scenery } from "../scenery/types.ts";
import type { Action, Pace, ScenePlan, Subject } from "../../scene-plan.ts";
import { poseAnimal } from "./animals.ts";
import { drawMouth } from "./mouth.ts";
import { posePerson } from "./people.ts";
import type { Actor, ActorColors, Figure } from "./types.ts";
import { poseVehicle, vehicleLights } from "./vehicles.ts";

export { actorBounds, type Actor, type Figure } from "./types.ts";

const TEMPO: Record<Pace, number> = { slow: 0.7, normal: 1, energetic: 1.45 };

/**
 * How far (world units) the fastest subject of a scene travels in `seconds`: how far a tracking
 * camera that follows it may travel, so the scenery is built wide enough.
 */
export function longestTravel(scene: ScenePlan, seconds: number): number {
  return Math.max(0, ...scene.subjects.map((subject) => speedOf(subject) * TEMPO[scene.pace] * seconds));
}

/** World units a second, by what moves and how. */
function speedOf(subject: Subject): number {
  const { action } = subject;
  if (subject.kind === "vehicle") {
    const speeds = {
      car: 0.45,
      motorcycle: 0.5,
      bicycle: 0.2,
      train: 0.3,
      boat: 0.03,
      plane: 0.12,
      spaceship: 0.25,
    };
    return action === "stands" || action === "floats" ? 0.01 : speeds[subject.vehicle];
  }
  const speeds: Partial<Record<Action, number>> = {
    walks: 0.1,
    runs: 0.28,
    flies: 0.22,
    swims: 0.08,
    floats: 0.015,
    sails: 0.03,
  };
  if (subject.kind === "animal" && subject.animal === "whale") return 0.04;
  return speeds[action] ?? 0;
}

/** Height in world units (1 = frame height) of one of the subject. */
function sizeOf(subject: Subject, count: number): number {
  const group = 1 - 0.09 * (count - 1);
  if (subject.kind === "person")
    return (subject.role === "child" ? 0.27 : subject.role === "astronaut" ? 0.32 : 0.42) * group;
  if (subject.kind === "animal")
    return (
      { dog: 0.16, cat: 0.12, horse: 0.32, deer: 0.28, bird: 0.045, fish: 0.09, whale: 0.26 }[
        subject.animal
      ] * group
    );
  return (
    { car: 0.17, motorcycle: 0.2, bicycle: 0.2, boat: 0.07, train: 0.09, plane: 0.05, spaceship: 0.1 }[
      subject.vehicle
    ] * group
  );
}

type Zone = "ground" | "water" | "air" | "deep";

function zoneOf(subject: Subject, scene: ScenePlan): Zone {
  if (subject.action === "flies" || (subject.action === "floats" && scene.setting !== "underwater"))
    return "air";
  if (subject.action === "swims" || scene.setting === "underwater") return "deep";
  if (subject.kind === "vehicle" && subject.vehicle === "boat") return "water";
  if (scene.setting === "sky") return "air";
  return "ground";
}

export interface ActorKit {
  scene: ScenePlan;
  scenery: Scenery;
  palette: Palette;
  random: Random;
  aspect: number;
  shotSeconds: number;
  /** Who speaks in the shot (the first of each such subject) and their mouth's openness per frame. */
  speaking?: { mouths: ReadonlyArray<{ subject: number; openness: readonly number[] }>; fps: number };
}

/**
 * Places the shot's subjects: people and animals on the ground, boats on the water, birds and
 * planes in the air, fish below. Movers cross the frame's middle at the middle of the shot.
 */
export function createActors(kit: ActorKit): Actor[] {
  const { scene, scenery, palette, random, aspect, shotSeconds, speaking } = kit;
  const actors: Actor[] = [];
  const tempo = TEMPO[scene.pace];
  scene.subjects.forEach((subject, which) => {
    const count = subject.count;
    const openness = speaking?.mouths.find((mouth) => mouth.subject === which)?.openness;
    const fps = speaking?.fps ?? 24;
    const size = sizeOf(subject, count);
    const zone = zoneOf(subject, scene);
    const speed = speedOf(subject) * tempo;
    const direction: 1 | -1 = random.next() < 0.5 ? 1 : -1;
    // Several subjects share the frame: the first in the middle, the others to the sides.
    const centre =
      aspect *
      (which === 0
        ? random.range(0.42, 0.58)
        : which === 1
          ? random.range(0.2, 0.32)
          : random.range(0.7, 0.82));
    const spacing = size * (subject.kind === "vehicle" ? 3 : 0.75);
    for (let i = 0; i < count; i++) {
      const offset = (i - (count - 1) / 2) * spacing + random.range(-0.2, 0.2) * spacing;
      const base =
        zone === "ground"
          ? scenery.groundY
          : zone === "water"
            ? (scenery.waterY ?? scenery.groundY)
            : zone === "air"
              ? random.range(0.18, 0.5)
              : random.range(0.4, 0.75);
      const depth = zone === "ground" ? 1 : zone === "water" ? 0.6 : zone === "air" ? 0.5 : 0.8;
      const start = centre + offset - (direction * speed * shotSeconds) / 2;
      const phase = random.range(0, 10);
      const lying = subject.kind === "person" && subject.action === "swims";
      actors.push({
        depth,
        facing: direction,
        action: subject.action,
        colors: colorsOf(subject, palette, which + i),
        placeAt(seconds) {
          const x = start + direction * speed * seconds;
          const drift =
            zone === "air"
              ? 0.01 * Math.sin(0.9 * seconds + phase)
              : zone === "deep"
                ? 0.008 * Math.sin(0.6 * seconds + phase)
                : zone === "water"
                  ? 0.003 * Math.sin(1.3 * seconds + phase)
                  : 0;
          return { x, y: base + drift, size, tilt: lying ? -Math.PI / 2 : 0 };
        },
        pose(seconds) {
          const t = seconds * tempo + phase;
          if (subject.kind === "person") {
            const figure = posePerson(subject.role, subject.action, t);
            return figure;
          }
          if (subject.kind === "animal") return poseAnimal(subject.animal, subject.action, t);
          return poseVehicle(subject.vehicle, t * (speed > 0.05 ? 1 : 0.2));
        },
        ...(subject.kind === "vehicle" && vehicleLights(subject.vehicle).length > 0
          ? {
              lights(): Glow[] {
                return vehicleLights(subject.vehicle)
                  .filter((lamp) => lamp.kind === "flame" || palette.glow > 0.25)
                  .map((lamp) => ({
                    x: lamp.x,
                    y: lamp.y,
                    radius: lamp.radius,
                    color: lamp.kind === "flame" ? palette.accent : palette.accentAlt,
                    alpha: lamp.kind === "flame" ? 0.8 : 0.6 * palette.glow,
                  }));
              },
            }
          : {}),
        ...(openness && i === 0 && subject.kind === "person"
          ? { mouth: (seconds: number) => openness[Math.round(seconds * fps)] ?? 0 }
          : {}),
      });
    }
  });
  return actors;
}

function colorsOf(subject: Subject, palette: Palette, variant: number): ActorColors {
  const base = { rim: palette.rim, ink: palette.ink };
  if (subject.kind === "person") {
    if (subject.role === "astronaut" || subject.role === "diver") {
      return {
        ...base,
        body: mix(palette.particles, palette.subject, 0.45),
        detail: mix(palette.particles, palette.skin, 0.2),
        light: scale(palette.accent, 0.6),
      };
    }
    return {
      ...base,
      body: palette.subject,
      detail: mix(palette.clothes, palette.subject, 0.15 * (variant % 3)),
      light: palette.skin,
    };
  }
  if (subject.kind === "animal") {
    const coat =
      subject.animal === "fish"
        ? mix(palette.accent, palette.clothes, 0.4)
        : subject.animal === "bird"
          ? scale(palette.subject, 0.8)
          : mix(palette.skin, palette.subject, 0.55);
    return { ...base, body: coat, detail: scale(coat, 0.7), light: palette.particles };
  }
  const paint =
    [palette.clothes, palette.accentAlt, mix(palette.far, palette.near, 0.5)][variant % 3] ?? palette.clothes;
  return {
    ...base,
    body: paint,
    detail: mix(paint, palette.particles, 0.5),
    light: palette.glow > 0.4 ? palette.accentAlt : mix(palette.skyHorizon, palette.far, 0.3),
  };
}

/**
 * Draws an actor at `seconds` in the current (layer) transform: first its body shifted toward the
 * light in the rim colour, then the body over it, so a bright edge shows on the lit side.
 */
export function drawActor(
  ctx: SKRSContext2D,
  actor: Actor,
  seconds: number,
  look: Look,
  lightSide: { x: number; y: number },
  figure: Figure = actor.pose(seconds),
): void {
  const { x, y, size, tilt } = actor.placeAt(seconds);
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(size * actor.facing, size);
  ctx.rotate(tilt * actor.facing);
  ctx.save();
  ctx.translate(lightSide.x * actor.facing * 0.022, lightSide.y * 0.022);
  ctx.fillStyle = css(actor.colors.rim, 0.9);
  ctx.fill(figure.body);
  ctx.fill(figure.detail);
  ctx.fill(figure.light);
  ctx.restore();
  ctx.fillStyle = css(actor.colors.body);
  ctx.fill(figure.body);
  ctx.fillStyle = css(actor.colors.detail);
  ctx.fill(figure.detail);
  ctx.fillStyle = css(actor.colors.light);
  ctx.fill(figure.light);
  if (actor.mouth && figure.face) drawMouth(ctx, figure.face, actor.mouth(seconds), actor.colors);
  if (look.outline) {
    ctx.strokeStyle = css(actor.colors.ink);
    ctx.lineWidth = 0.018;
    ctx.stroke(figure.body);
    ctx.stroke(figure.detail);
  }
  ctx.restore();
}
