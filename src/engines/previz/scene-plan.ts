/**
 * Terminology
 * - scene plan: what the previz renderer understood of one shot's prompt — setting, time of day,
 *   light, atmosphere, subject, camera and style. Plain data: the interpreter writes it, the renderer
 *   reads it, and it is logged so a user sees what their words became.
 * - layer: a band of scenery at a depth (far, mid, near); nearer layers move more under the camera.
 */

export const SETTINGS = [
  "city",
  "forest",
  "beach",
  "desert",
  "stage",
  "interior",
  "space",
  "countryside",
] as const;
/** Where the shot happens; `countryside` when the prompt names no known place. */
export type Setting = (typeof SETTINGS)[number];

export const TIMES_OF_DAY = ["dawn", "day", "sunset", "night"] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

/** The colour of the light. */
export type Light = "natural" | "warm" | "cold" | "neon";

export const ATMOSPHERES = ["rain", "snow", "fog", "smoke"] as const;
/** Things in the air, drawn as particles or drifting bands; a shot may have several. */
export type Atmosphere = (typeof ATMOSPHERES)[number];

export type SubjectKind = "person" | "none";
export type SubjectAction = "stands" | "sways" | "walks" | "runs" | "dances";

export type CameraMove = "static" | "push-in" | "pull-back" | "pan-left" | "pan-right";
export type Pace = "slow" | "normal" | "fast";

/** `noir` is black and white with harder contrast. */
export type Style = "photorealistic" | "noir";

export interface ScenePlan {
  setting: Setting;
  timeOfDay: TimeOfDay;
  light: Light;
  /** Low-key, darker and less saturated. */
  moody: boolean;
  /** In a fixed order (that of `ATMOSPHERES`) so equal prompts give equal plans. */
  atmosphere: Atmosphere[];
  subject: { kind: SubjectKind; action: SubjectAction };
  camera: { move: CameraMove; pace: Pace };
  style: Style;
}

const ACTION_LABEL: Record<SubjectAction, string> = {
  stands: "standing",
  sways: "swaying",
  walks: "walking",
  runs: "running",
  dances: "dancing",
};

/**
 * One line a person can read: what the renderer will draw for a shot.
 * @example describeScenePlan(plan, { index: 1, count: 3 })
 * // "shot 2/3: city, night, rain; subject: person walking; camera: slow push-in; style: noir"
 */
export function describeScenePlan(plan: ScenePlan, shot?: { index: number; count: number }): string {
  const where = [plan.setting, plan.timeOfDay, ...plan.atmosphere].join(", ");
  const light = [...(plan.light === "natural" ? [] : [plan.light]), ...(plan.moody ? ["moody"] : [])];
  const subject =
    plan.subject.kind === "none" ? "none" : `${plan.subject.kind} ${ACTION_LABEL[plan.subject.action]}`;
  const camera =
    plan.camera.move === "static"
      ? "static"
      : `${plan.camera.pace === "normal" ? "" : `${plan.camera.pace} `}${plan.camera.move}`;
  const parts = [
    where,
    ...(light.length > 0 ? [`light: ${light.join(", ")}`] : []),
    `subject: ${subject}`,
    `camera: ${camera}`,
    `style: ${plan.style}`,
  ];
  const prefix = shot === undefined ? "" : `shot ${shot.index + 1}/${shot.count}: `;
  return prefix + parts.join("; ");
}
