import type { Atmosphere, MusicGenre, ScenePlan, Setting, Subject, TimeOfDay } from "../scene-plan.ts";
import { ATMOSPHERES } from "../scene-plan.ts";
import {
  ANY_MUSIC_CUE,
  ATMOSPHERE_CUES,
  BACKLIT_CUE,
  CAMERA_CUES,
  HANDHELD_CUE,
  LIGHT_COLOR_CUES,
  MOODY_CUE,
  MUSIC_CUES,
  NEON_CUE,
  PACE_CUES,
  SETTING_CUES,
  SPOTLIGHT_CUE,
  STATIC_CUE,
  STYLE_CUES,
  TIME_CUES,
  WEAK_SETTINGS,
} from "./cues.ts";
import { readDialogue, splitQuotes } from "./dialogue.ts";
import { findSubjects } from "./subjects.ts";
import { earliest, mentioned, normalise } from "./text.ts";

/**
 * Reads one shot's prompt into a scene plan with keyword cues: deterministic, no model, the same
 * words always give the same plan. When a prompt names several values of one kind ("a forest by
 * the sea"), the earliest mention wins, because prompts tend to lead with what matters. Negated
 * cues ("no rain") do not count; unknown words are ignored, and an empty prompt is a valid scene.
 * Text in quotes is dialogue, read apart (see dialogue.ts).
 * @example interpretPrompt("Rain on a neon-lit street at night, noir").setting // "neon city"
 */
export function interpretPrompt(prompt: string): ScenePlan {
  const { described, quotes } = splitQuotes(prompt);
  const text = normalise(described);
  const subjects = findSubjects(text);
  const style = earliest(text, STYLE_CUES)?.value ?? "photorealistic";
  const neon = mentioned(text, NEON_CUE) || style === "cyberpunk";
  const setting = findSetting(text, subjects, neon);
  const atmosphere = ATMOSPHERES.filter((kind) =>
    ATMOSPHERE_CUES.some(([value, cue]) => value === kind && mentioned(text, cue)),
  );
  const lightColor = earliest(text, LIGHT_COLOR_CUES)?.value ?? (neon ? "neon" : "natural");
  return {
    setting,
    timeOfDay: earliest(text, TIME_CUES)?.value ?? defaultTime(setting, atmosphere, lightColor),
    atmosphere,
    light: {
      color: lightColor,
      spotlight: mentioned(text, SPOTLIGHT_CUE),
      backlit: mentioned(text, BACKLIT_CUE),
      moody: mentioned(text, MOODY_CUE),
    },
    subjects,
    camera: {
      // "static" competes like any move: in "a static shot, cars pass" nothing moves the camera.
      move: earliest(text, [...CAMERA_CUES, ["static", STATIC_CUE] as const])?.value ?? "static",
      handheld: mentioned(text, HANDHELD_CUE),
    },
    pace: earliest(text, PACE_CUES)?.value ?? "normal",
    style,
    dialogue: readDialogue(text, quotes, subjects),
    music: findMusic(text),
  };
}

/** A named kind of music wins; a bare "music" gets the ambient bed; no music word, no music. */
function findMusic(text: string): MusicGenre | null {
  return earliest(text, MUSIC_CUES)?.value ?? (mentioned(text, ANY_MUSIC_CUE) ? "ambient" : null);
}

/** Where subjects live when the prompt names no place: an astronaut is in space. */
function impliedSetting(subjects: readonly Subject[]): Setting | undefined {
  for (const subject of subjects) {
    if (subject.kind === "person") {
      if (subject.role === "astronaut") return "space";
      if (subject.role === "diver") return "underwater";
      if (subject.role === "musician" || subject.role === "dancer") return "stage";
    } else if (subject.kind === "animal") {
      if (subject.animal === "fish") return "underwater";
      if (subject.animal === "whale") return "ocean";
      if (subject.animal === "bird") return "sky";
      if (subject.animal === "deer") return "forest";
    } else {
      if (subject.vehicle === "spaceship") return "space";
      if (subject.vehicle === "boat") return "ocean";
      if (subject.vehicle === "plane") return "sky";
      if (subject.vehicle === "car" || subject.vehicle === "motorcycle") return "city street";
    }
  }
  return undefined;
}

function findSetting(text: string, subjects: readonly Subject[], neon: boolean): Setting {
  const strong = earliest(
    text,
    SETTING_CUES.filter(([value]) => !WEAK_SETTINGS.has(value)),
  )?.value;
  const weak = earliest(
    text,
    SETTING_CUES.filter(([value]) => WEAK_SETTINGS.has(value)),
  )?.value;
  const setting = strong ?? impliedSetting(subjects) ?? weak ?? (neon ? "city street" : "countryside");
  return setting === "city street" && neon ? "neon city" : setting;
}

/** The hour a place suggests when none is named: clubs and neon at night, fireflies at dusk. */
function defaultTime(setting: Setting, atmosphere: readonly Atmosphere[], light: string): TimeOfDay {
  if (atmosphere.includes("stars")) return "night";
  if (atmosphere.includes("fireflies")) return "dusk";
  if (setting === "stage" || setting === "neon city" || setting === "space") return "night";
  if (light === "neon" || light === "candle") return "night";
  if (setting === "underwater") return "noon";
  return "afternoon";
}
