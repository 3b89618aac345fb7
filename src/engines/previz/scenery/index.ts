import type { Setting } from "../scene-plan.ts";
import { buildCity } from "./city.ts";
import { buildBeach, buildCountryside, buildDesert, buildForest } from "./landscapes.ts";
import { buildInterior, buildStage } from "./rooms.ts";
import { buildSpace } from "./space.ts";
import type { Scenery, SceneryBuilder, SceneryKit } from "./types.ts";

export type { Layer, LayerShape, Scenery, SceneryKit } from "./types.ts";

const BUILDERS: Record<Setting, SceneryBuilder> = {
  city: buildCity,
  forest: buildForest,
  beach: buildBeach,
  desert: buildDesert,
  stage: buildStage,
  interior: buildInterior,
  space: buildSpace,
  countryside: buildCountryside,
};

/** Builds the layered scenery of a shot's setting (once per shot; frames only replay it). */
export function buildScenery(kit: SceneryKit): Scenery {
  return BUILDERS[kit.scene.setting](kit);
}
