import { ATMOSPHERES } from "./scene-plan.ts";
import type {
  Atmosphere,
  CameraMove,
  Light,
  Pace,
  ScenePlan,
  Setting,
  SubjectAction,
  TimeOfDay,
} from "./scene-plan.ts";

/**
 * Reads a prompt into a scene plan with keyword cues. Pure and deterministic: the same words always
 * give the same plan. When a prompt names several values of one kind ("a forest by the sea"), the
 * earliest mention wins, because prompts tend to lead with what matters. A cue preceded closely by a
 * negation ("no rain", "without people") does not count.
 */

/** Regex fragments (matched on word boundaries, on lower-case text with hyphens as spaces). */
type Cues<T extends string> = ReadonlyArray<readonly [T, string]>;

const SETTING_CUES: Cues<Setting> = [
  [
    "city",
    "city|cities|streets?|downtown|urban|skyline|skyscrapers?|alley(?:way)?s?|rooftops?|metropolis|avenue|boulevard|town|traffic",
  ],
  ["forest", "forests?|woods|woodlands?|jungle|rainforest|trees?|pines?|grove"],
  [
    "beach",
    "beach(?:es)?|oceans?|seas?|seaside|shore(?:line)?|coast(?:al|line)?|waves|surf|lake|harbou?r|pier|island",
  ],
  ["desert", "deserts?|dunes?|canyon|mesa|sahara|arid|wasteland"],
  [
    "stage",
    "stage|(?:night)?clubs?|jazz|concert|bar|lounge|theat(?:er|re)|spotlights?|dance floor|band|singer|musician|saxophonist|guitarist|pianist|dj|cabaret|gig",
  ],
  [
    "interior",
    "room|bedroom|kitchen|office|apartment|interior|indoors?|inside|hallway|corridor|library|caf[eé]|restaurant",
  ],
  [
    "space",
    "outer space|in space|space(?:ship|craft| station)|galax(?:y|ies)|nebula|cosmos|cosmic|astronauts?|planets?|orbit(?:ing)?|asteroids?",
  ],
];

const TIME_CUES: Cues<TimeOfDay> = [
  ["dawn", "dawn|sunrise|daybreak|first light|early morning"],
  ["day", "noon|midday|daytime|daylight|sunny|morning|afternoon|day|blue sky|bright sun(?:light)?"],
  ["sunset", "sunset|sundown|dusk|golden hour|evening|twilight"],
  ["night", "night(?:s|time|fall)?|midnight|moon(?:lit|light)?|starry|stars|nocturnal|after dark"],
];

const LIGHT_CUES: Cues<Exclude<Light, "natural">> = [
  ["neon", "neon|cyberpunk|synthwave|vaporwave|disco"],
  ["warm", "warm(?:th|ly)?|golden|amber|candle(?:s|lit|light)?|firelight|fireplace|cos[yi]|tungsten"],
  ["cold", "cold|cool|icy|ice|frozen|freezing|wintry|winter|chilly|steely"],
];

const MOODY_CUE =
  "moody|gloomy|somb(?:er|re)|brooding|melanchol(?:y|ic)|dramatic|ominous|mysterious|dark|darkness";

const ATMOSPHERE_CUES: Cues<Atmosphere> = [
  ["rain", "rain(?:s|y|ing|fall|drops?)?|drizzl(?:e|ing)|downpour|storm(?:y)?"],
  ["snow", "snow(?:s|y|ing|fall|flakes?)?|blizzard"],
  ["fog", "fog(?:gy)?|mist(?:y)?|haze|hazy"],
  ["smoke", "smok(?:e|y|ing)|incense|steam(?:ing)?"],
];

const PERSON_CUE =
  "man|men|woman|women|person|people|girl|boy|child|kid|figure|couple|crowd|he|she|dancer|singer|musician|" +
  "saxophonist|guitarist|violinist|pianist|drummer|artist|astronaut|detective|soldier|travell?er|hiker|stranger|cyclist";
const EMPTY_CUE = "empty|deserted|nobody|no one|unpopulated";

const ACTION_CUES: Cues<SubjectAction> = [
  ["sways", "sway(?:s|ing|ed)?|rock(?:s|ing)|plays?|playing|sings?|singing"],
  ["walks", "walk(?:s|ing)?|strolls?|strolling|wander(?:s|ing)?|paces"],
  ["runs", "run(?:s|ning)?|jog(?:s|ging)?|sprint(?:s|ing)?|races"],
  ["dances", "danc(?:e|es|ing)"],
  ["stands", "stand(?:s|ing)?|waits?|waiting|still"],
];

const CAMERA_CUES: Cues<CameraMove> = [
  [
    "push-in",
    "push(?:es|ing)? (?:in|forward|toward|towards)|eas(?:e|es|ing) in|zoom(?:s|ing)? in|dolly(?:ing)? in|dollies in|" +
      "mov(?:e|es|ing) (?:closer|in)|clos(?:e|es|ing) in|creep(?:s|ing)? in|track(?:s|ing)? in",
  ],
  [
    "pull-back",
    "pull(?:s|ing)? (?:back|out|away)|zoom(?:s|ing)? out|dolly(?:ing)? out|dollies out|mov(?:e|es|ing) (?:back|away)|widens?",
  ],
  ["pan-left", "pan(?:s|ning)? (?:to the )?left|(?:track|truck)(?:s|ing)? left"],
  ["pan-right", "pan(?:s|ning)? (?:to the )?right|(?:track|truck)(?:s|ing)? right"],
  ["static", "static|locked off|still camera|stationary|tripod"],
];

const PACE_CUES: Cues<Exclude<Pace, "normal">> = [
  ["slow", "slow(?:ly|er)?|gentl[ey]|gradual(?:ly)?|subtle|subtly|languid(?:ly)?"],
  ["fast", "fast|quick(?:ly)?|rapid(?:ly)?|swift(?:ly)?|whip|sudden(?:ly)?"],
];

const NOIR_CUE = "black and white|b&w|monochrom(?:e|atic)|noir|gr[ae]yscale";

const NEGATIONS = new Set(["no", "not", "without", "never", "nor", "zero"]);
/** Words that end a negation's reach: in "no wind but rain" the rain is there. */
const NEGATION_BREAKS = new Set(["but", "and", "with", "yet", "while"]);

/**
 * Reads one shot's prompt into a scene plan.
 * @example interpretPrompt("Rain on a city street at night, noir").setting // "city"
 */
export function interpretPrompt(prompt: string): ScenePlan {
  const text = prompt
    .toLowerCase()
    .replace(/[-‐–—_]/g, " ")
    .replace(/\s+/g, " ");
  const setting = earliest(text, SETTING_CUES) ?? "countryside";
  const camera = findCamera(text);
  return {
    setting,
    timeOfDay: earliest(text, TIME_CUES) ?? (setting === "stage" || setting === "space" ? "night" : "day"),
    light: earliest(text, LIGHT_CUES) ?? "natural",
    moody: firstMention(text, MOODY_CUE) !== -1,
    atmosphere: ATMOSPHERES.filter((kind) =>
      ATMOSPHERE_CUES.some(([k, cue]) => k === kind && firstMention(text, cue) !== -1),
    ),
    subject:
      firstMention(text, PERSON_CUE) !== -1 && firstMention(text, EMPTY_CUE) === -1
        ? { kind: "person", action: earliest(text, ACTION_CUES) ?? "stands" }
        : { kind: "none", action: "stands" },
    camera,
    style: firstMention(text, NOIR_CUE) === -1 ? "photorealistic" : "noir",
  };
}

/** The camera move and, from the same sentence, its pace ("The camera eases in slowly."). */
function findCamera(text: string): ScenePlan["camera"] {
  let best: { move: CameraMove; at: number } | undefined;
  for (const [move, cue] of CAMERA_CUES) {
    const at = firstMention(text, cue);
    if (at !== -1 && (best === undefined || at < best.at)) best = { move, at };
  }
  if (best === undefined || best.move === "static") return { move: "static", pace: "normal" };
  const start = Math.max(...[".", "!", "?", ";"].map((mark) => text.lastIndexOf(mark, best.at))) + 1;
  const ends = [".", "!", "?", ";"].map((mark) => text.indexOf(mark, best.at)).filter((end) => end !== -1);
  const sentence = text.slice(start, ends.length > 0 ? Math.min(...ends) : text.length);
  return { move: best.move, pace: earliest(sentence, PACE_CUES) ?? "normal" };
}

/** The value whose cue appears first (not negated) in the text. */
function earliest<T extends string>(text: string, cues: Cues<T>): T | undefined {
  let best: { value: T; at: number } | undefined;
  for (const [value, cue] of cues) {
    const at = firstMention(text, cue);
    if (at !== -1 && (best === undefined || at < best.at)) best = { value, at };
  }
  return best?.value;
}

const compiled = new Map<string, RegExp>();

/** Index of the first non-negated match of a cue, or -1. */
function firstMention(text: string, cue: string): number {
  let pattern = compiled.get(cue);
  if (pattern === undefined) {
    // Lookarounds instead of \b so that cues such as "b&w" and "café" still end on a word edge.
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${cue})(?![\\p{L}\\p{N}])`, "gu");
    compiled.set(cue, pattern);
  }
  for (const match of text.matchAll(pattern)) {
    if (!isNegated(text, match.index)) return match.index;
  }
  return -1;
}

/** True when one of the three words before `at` (within its clause) is a negation. */
function isNegated(text: string, at: number): boolean {
  const clause =
    text
      .slice(0, at)
      .split(/[.,;:!?]/)
      .pop() ?? "";
  const words = clause.trim().split(" ").slice(-3).reverse();
  for (const word of words) {
    if (NEGATION_BREAKS.has(word)) return false;
    if (NEGATIONS.has(word)) return true;
  }
  return false;
}
