/**
 * Terminology
 * - scene plan: what the previz renderer understood of one shot's prompt — setting, time of day,
 *   atmosphere, light, subjects, camera, pace and style. Plain data: the interpreter writes it, the
 *   renderer reads it, and it is logged so a user sees what their words became.
 * - layer: a band of scenery at a depth (sky, far, mid, near); nearer layers move more under a
 *   camera that travels (parallax).
 * - backdrop: what does not change during a shot, drawn once and copied into every frame.
 * - live region: a rectangle of the frame redrawn each frame (a walking figure, waves, a beam).
 * - dialogue line: text in quotes in a prompt, spoken by the shot's subject (its mouth moves).
 * - bed: a layer of procedural sound under a shot (rain, wind, traffic…), chosen from its plan.
 */

export const SETTINGS = [
  "city street",
  "neon city",
  "forest",
  "ocean",
  "desert",
  "mountains",
  "snowfield",
  "space",
  "underwater",
  "stage",
  "interior",
  "countryside",
  "lake",
  "sky",
] as const;
/** Where the shot happens; `countryside` when the prompt names no known place. */
export type Setting = (typeof SETTINGS)[number];

export const TIMES_OF_DAY = ["dawn", "morning", "noon", "afternoon", "sunset", "dusk", "night"] as const;
/** In order of the sun's path, so that neighbours look alike. */
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

export const ATMOSPHERES = ["rain", "snow", "fog", "smoke", "dust", "fireflies", "stars", "storm"] as const;
/** Things in the air; a shot may have several. `storm` brings rain and lightning. */
export type Atmosphere = (typeof ATMOSPHERES)[number];

export const LIGHT_COLORS = ["natural", "warm", "cold", "neon", "candle"] as const;
/** The colour of the light that falls on the scene. */
export type LightColor = (typeof LIGHT_COLORS)[number];

export interface Light {
  color: LightColor;
  /** A hard pool of light from above on the subject, the rest falls off into the dark. */
  spotlight: boolean;
  /** The light source is behind the subject: silhouettes with bright rims. */
  backlit: boolean;
  /** Low key: darker, less saturated, heavier vignette. */
  moody: boolean;
}

export const PERSON_ROLES = [
  "person",
  "man",
  "woman",
  "child",
  "musician",
  "dancer",
  "astronaut",
  "diver",
  "soldier",
] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
export const ANIMALS = ["dog", "cat", "horse", "deer", "bird", "fish", "whale"] as const;
export type Animal = (typeof ANIMALS)[number];
export const VEHICLES = ["car", "motorcycle", "bicycle", "boat", "train", "plane", "spaceship"] as const;
export type Vehicle = (typeof VEHICLES)[number];

export const ACTIONS = [
  "stands",
  "sits",
  "sways",
  "walks",
  "runs",
  "dances",
  "flies",
  "swims",
  "drives",
  "sails",
  "floats",
] as const;
/** What a subject does; each kind shows only the actions it can (a car drives, a boat sails). */
export type Action = (typeof ACTIONS)[number];

/** Something or someone the shot is about. At most three, in the order the prompt names them. */
export type Subject =
  | { kind: "person"; role: PersonRole; action: Action; count: number }
  | { kind: "animal"; animal: Animal; action: Action; count: number }
  | { kind: "vehicle"; vehicle: Vehicle; action: Action; count: number };

export const CAMERA_MOVES = [
  "static",
  "push-in",
  "pull-back",
  "pan-left",
  "pan-right",
  "tilt-up",
  "tilt-down",
  "orbit",
  "tracking",
  "aerial",
  "zoom-in",
  "zoom-out",
] as const;
/**
 * Push-in and pull-back are dolly moves (the camera travels: near things grow faster than far
 * ones); zooms change the focal length (everything grows alike); pans and tilts turn the camera.
 */
export type CameraMove = (typeof CAMERA_MOVES)[number];

export const PACES = ["slow", "normal", "energetic"] as const;
/** How fast the camera moves and the subjects act. */
export type Pace = (typeof PACES)[number];

export const STYLES = [
  "photorealistic",
  "noir",
  "vintage",
  "anime",
  "watercolor",
  "cyberpunk",
  "pastel",
] as const;
/** The look: colour grading, outlines, grain. `noir` is black and white. */
export type Style = (typeof STYLES)[number];

export const VOICES = ["man", "woman", "child", "robot"] as const;
/** Who a line sounds like: sets the pitch and timbre of the voice. */
export type Voice = (typeof VOICES)[number];

export const LANGUAGES = ["en", "es", "cmn", "ja", "ko"] as const;
/** Language of a line, read from its script and words (`cmn` is Mandarin). */
export type Language = (typeof LANGUAGES)[number];

export const DELIVERIES = ["normal", "whisper", "shout"] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** A line of dialogue: the text in quotes in a prompt and who says it, how. */
export interface DialogueLine {
  text: string;
  language: Language;
  /** Index in `subjects` of who says it (a person's mouth moves), or null for a voice off screen. */
  speaker: number | null;
  voice: Voice;
  delivery: Delivery;
}

export const MUSIC_GENRES = ["jazz", "orchestral", "electronic", "piano", "ambient"] as const;
/** The music bed a prompt asks for; `ambient` when it asks for music without naming a kind. */
export type MusicGenre = (typeof MUSIC_GENRES)[number];

export interface ScenePlan {
  setting: Setting;
  timeOfDay: TimeOfDay;
  /** In a fixed order (that of `ATMOSPHERES`) so equal prompts give equal plans. */
  atmosphere: Atmosphere[];
  light: Light;
  subjects: Subject[];
  camera: { move: CameraMove; handheld: boolean };
  pace: Pace;
  style: Style;
  /** Lines spoken in the shot, in the order the prompt quotes them. */
  dialogue: DialogueLine[];
  music: MusicGenre | null;
}

const ACTION_LABEL: Record<Action, string> = {
  stands: "standing",
  sits: "sitting",
  sways: "swaying",
  walks: "walking",
  runs: "running",
  dances: "dancing",
  flies: "flying",
  swims: "swimming",
  drives: "driving",
  sails: "sailing",
  floats: "floating",
};

/** "woman walking", "2 dogs running". */
export function describeSubject(subject: Subject): string {
  const noun =
    subject.kind === "person" ? subject.role : subject.kind === "animal" ? subject.animal : subject.vehicle;
  const plural = noun === "person" ? "people" : noun === "fish" ? "fish" : `${noun}s`;
  const counted = subject.count > 1 ? `${subject.count} ${plural}` : noun;
  return `${counted} ${ACTION_LABEL[subject.action]}`;
}

/** `woman (en, whisper): "we're late"`; a voice off screen is named by its voice. */
function describeLine(line: DialogueLine): string {
  const how = [line.language, ...(line.delivery === "normal" ? [] : [line.delivery])].join(", ");
  const who = line.speaker === null ? `${line.voice} off screen` : line.voice;
  return `${who} (${how}): "${line.text}"`;
}

/**
 * One line a person can read: what the renderer will draw for a shot.
 * @example describeScenePlan(plan, { index: 1, count: 3 })
 * // "shot 2/3: neon city, night, rain; subject: woman walking; camera: slow push-in; style: noir"
 */
export function describeScenePlan(plan: ScenePlan, shot?: { index: number; count: number }): string {
  const where = [plan.setting, plan.timeOfDay, ...plan.atmosphere].join(", ");
  const { color, spotlight, backlit, moody } = plan.light;
  const light = [
    ...(color === "natural" ? [] : [color]),
    ...(spotlight ? ["spotlight"] : []),
    ...(backlit ? ["backlit"] : []),
    ...(moody ? ["moody"] : []),
  ];
  const subjects = plan.subjects.length === 0 ? "none" : plan.subjects.map(describeSubject).join(", ");
  const move =
    plan.camera.move === "static"
      ? "static"
      : `${plan.pace === "normal" ? "" : `${plan.pace} `}${plan.camera.move}`;
  const camera = !plan.camera.handheld ? move : move === "static" ? "handheld" : `handheld ${move}`;
  const parts = [
    where,
    ...(light.length > 0 ? [`light: ${light.join(", ")}`] : []),
    `subject: ${subjects}`,
    `camera: ${camera}`,
    `style: ${plan.style}`,
  ];
  if (plan.music) parts.push(`music: ${plan.music}`);
  if (plan.dialogue.length > 0) parts.push(`dialogue: ${plan.dialogue.map(describeLine).join(" / ")}`);
  const prefix = shot === undefined ? "" : `shot ${shot.index + 1}/${shot.count}: `;
  return prefix + parts.join("; ");
}
