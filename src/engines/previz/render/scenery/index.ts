import type { Setting } from "../../scene-plan.ts";
import { buildCity } from "./city.ts";
import { buildCountryside, buildDesert, buildForest, buildMountains } from "./land.ts";
import { buildInterior, buildStage } from "./rooms.ts";
import { buildSky, buildSpace } from "./space.ts";
import type { Scenery, SceneryBuilder, SceneryKit } from "./types.ts";
import { buildLake, buildOcean, buildUnderwater } from "./water.ts";

export type { Glow, Layer, LayerShape, LivePart, Scenery, SceneryKit, WorldBox } from "./types.ts";

const BUILDERS: Record<Setting, SceneryBuilder> = {
  "city street": buildCity,
  "neon city": buildCity,
  forest: buildForest,
  ocean: buildOcean,
  desert: buildDesert,
  mountains: buildMountains,
  snowfield: buildMountains,
  space: buildSpace,
  underwater: buildUnderwater,
  stage: buildStage,
  interior: buildInterior,
  countryside: buildCountryside,
  lake: buildLake,
  sky: buildSky,
};

/** Builds the layered scenery of a shot's setting (once per shot; frames only replay it). */
export function buildScenery(kit: SceneryKit): Scenery {
  return BUILDERS[kit.scene.setting](kit);
}
