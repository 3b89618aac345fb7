import type { Action, Animal, PersonRole, Subject, Vehicle } from "../scene-plan.ts";
import { earliest, mentioned, mentions } from "./text.ts";
import type { Cues } from "./text.ts";

/**
 * Finds who and what a prompt is about: people (with a role), animals and vehicles, how many of
 * each, and what each does — the action words nearest after the noun in its clause ("a woman in a
 * red coat walks"), or just before it ("a running dog").
 */

type Noun =
  | { kind: "person"; role: PersonRole }
  | { kind: "animal"; animal: Animal }
  | { kind: "vehicle"; vehicle: Vehicle };

/** Nouns: the cue's first alternatives are singular; plural forms say "more than one". */
const NOUN_CUES: ReadonlyArray<readonly [Noun, string, string]> = [
  [
    { kind: "person", role: "musician" },
    "musician|saxophonist|guitarist|violinist|cellist|pianist|drummer|trumpeter|singer|dj|rapper|busker",
    "musicians|saxophonists|guitarists|singers|band members",
  ],
  [{ kind: "person", role: "dancer" }, "dancer|ballerina", "dancers|ballerinas"],
  [{ kind: "person", role: "astronaut" }, "astronaut|cosmonaut|spaceman", "astronauts|cosmonauts"],
  [{ kind: "person", role: "diver" }, "diver|scuba diver|snorkell?er|swimmer", "divers|swimmers"],
  [
    { kind: "person", role: "soldier" },
    "soldier|knight|warrior|samurai|guard",
    "soldiers|knights|warriors|guards",
  ],
  [
    { kind: "person", role: "child" },
    "child|kid|boy|girl|toddler|teenager|little girl|little boy",
    "children|kids|boys|girls|teenagers",
  ],
  [
    { kind: "person", role: "woman" },
    "woman|lady|she|her|mother|bride|queen|actress|businesswoman",
    "women|ladies",
  ],
  [
    { kind: "person", role: "man" },
    "man|guy|gentleman|he|him|his|father|old man|cowboy|king|businessman|actor",
    "men|guys|gentlemen",
  ],
  [
    { kind: "person", role: "person" },
    "person|figure|stranger|travell?er|hiker|detective|someone|pedestrian|runner|jogger|skater|monk|explorer|character|protagonist|tourist|couple|crowd|family",
    "people|figures|strangers|travell?ers|hikers|pedestrians|runners|tourists|crowds|they|them",
  ],
  [{ kind: "animal", animal: "dog" }, "dog|puppy|hound|wolf|fox", "dogs|puppies|hounds|wolves|foxes"],
  [{ kind: "animal", animal: "cat" }, "cat|kitten|tiger|lion|leopard", "cats|kittens|tigers|lions"],
  [{ kind: "animal", animal: "horse" }, "horse|pony|stallion|mare|foal", "horses|ponies"],
  [{ kind: "animal", animal: "deer" }, "deer|stag|doe|elk|moose|reindeer", "herd of deer|stags|elks"],
  [
    { kind: "animal", animal: "bird" },
    "bird|seagull|gull|crow|eagle|hawk|owl|pigeon|swan|raven|butterfly",
    "birds|seagulls|gulls|crows|pigeons|flock|swans|butterflies",
  ],
  [
    { kind: "animal", animal: "fish" },
    "fish|shark|koi|jellyfish|turtle",
    "fishes|school of fish|sharks|jellyfish|turtles",
  ],
  [{ kind: "animal", animal: "whale" }, "whale|dolphin|orca", "whales|dolphins|orcas"],
  [
    { kind: "vehicle", vehicle: "car" },
    "car|taxi|cab|truck|suv|sedan|van|jeep|police car|bus",
    "cars|taxis|cabs|trucks|buses|traffic",
  ],
  [
    { kind: "vehicle", vehicle: "motorcycle" },
    "motorcycle|motorbike|scooter|biker",
    "motorcycles|motorbikes|bikers",
  ],
  [{ kind: "vehicle", vehicle: "bicycle" }, "bicycle|bike|cyclist", "bicycles|bikes|cyclists"],
  [
    { kind: "vehicle", vehicle: "boat" },
    "boat|ship|sailboat|yacht|canoe|kayak|ferry|gondola|raft",
    "boats|ships|sailboats|yachts",
  ],
  [{ kind: "vehicle", vehicle: "train" }, "train|tram|subway|locomotive|streetcar", "trains|trams"],
  [
    { kind: "vehicle", vehicle: "plane" },
    "plane|airplane|aeroplane|jet|aircraft|glider|helicopter|biplane",
    "planes|airplanes|jets",
  ],
  [
    { kind: "vehicle", vehicle: "spaceship" },
    "spaceship|spacecraft|rocket|starship|ufo|shuttle|space station",
    "spaceships|rockets|ufos",
  ],
];

const ACTION_CUES: Cues<Action> = [
  [
    "stands",
    "stand(?:s|ing)?|wait(?:s|ing)?|pos(?:es|ing)|watch(?:es|ing)?|look(?:s|ing)|star(?:es|ing)|gaz(?:es|ing)|lean(?:s|ing)?|still",
  ],
  [
    "sits",
    "sit(?:s|ting)?|seated|sat|perched|lounging|rest(?:s|ing)|kneel(?:s|ing)?|lies|lying|reclin(?:es|ing)",
  ],
  [
    "sways",
    "sway(?:s|ing|ed)?|rock(?:s|ing)|plays?|playing|sings?|singing|hums?|strums?|nods?|bobs?|breath(?:es|ing)",
  ],
  [
    "walks",
    "walk(?:s|ing|ed)?|stroll(?:s|ing)?|wander(?:s|ing)?|pac(?:es|ing)|strides?|striding|march(?:es|ing)?|hikes?|hiking|trudg(?:es|ing)|steps|crosses|crossing|roams?|roaming",
  ],
  [
    "runs",
    "run(?:s|ning)?|ran|jog(?:s|ging)?|sprint(?:s|ing)?|races?|racing|dash(?:es|ing)|gallop(?:s|ing)?|chas(?:es|ing)|flee(?:s|ing)|rush(?:es|ing)|charg(?:es|ing)",
  ],
  [
    "dances",
    "danc(?:e|es|ing)|twirl(?:s|ing)?|spin(?:s|ning)|pirouett(?:e|es|ing)|waltz(?:es|ing)?|leap(?:s|ing)",
  ],
  [
    "flies",
    "fl(?:y|ies|ying|ew)|soar(?:s|ing)?|glid(?:e|es|ing)|hover(?:s|ing)?|swoop(?:s|ing)?|flutter(?:s|ing)?|takes? off|circl(?:es|ing)",
  ],
  ["swims", "swim(?:s|ming)?|dives?|diving|paddl(?:es|ing)"],
  [
    "drives",
    "driv(?:e|es|ing)|speed(?:s|ing)|cruis(?:e|es|ing)|rides?|riding|rolls?|rolling|zooms? past|pass(?:es|ing) by|pulls? up",
  ],
  ["sails", "sail(?:s|ing)?|row(?:s|ing)|bob(?:s|bing)? on"],
  ["floats", "float(?:s|ing)?|drift(?:s|ing)?|weightless|suspended"],
];

/** What each kind does when the prompt does not say. */
function defaultAction(noun: Noun): Action {
  if (noun.kind === "person")
    return noun.role === "dancer"
      ? "dances"
      : noun.role === "musician"
        ? "sways"
        : noun.role === "astronaut"
          ? "floats"
          : noun.role === "diver"
            ? "swims"
            : "stands";
  if (noun.kind === "animal")
    return noun.animal === "bird"
      ? "flies"
      : noun.animal === "fish" || noun.animal === "whale"
        ? "swims"
        : "stands";
  return noun.vehicle === "boat"
    ? "sails"
    : noun.vehicle === "plane" || noun.vehicle === "spaceship"
      ? "flies"
      : "drives";
}

/** Actions each kind can show; anything else falls back to the closest one it can. */
function fitAction(noun: Noun, action: Action): Action {
  if (noun.kind === "vehicle") {
    if (noun.vehicle === "boat")
      return action === "floats" || action === "sails" || action === "stands"
        ? action === "stands"
          ? "stands"
          : "sails"
        : "sails";
    if (noun.vehicle === "plane" || noun.vehicle === "spaceship")
      return action === "floats" || action === "stands" ? action : "flies";
    return action === "stands" || action === "sits" ? "stands" : "drives";
  }
  if (noun.kind === "animal") {
    if (noun.animal === "bird")
      return action === "stands" || action === "sits" || action === "walks" ? action : "flies";
    if (noun.animal === "fish" || noun.animal === "whale") return "swims";
    return action === "sways" || action === "dances" || action === "drives" || action === "flies"
      ? "runs"
      : action;
  }
  if (action === "drives" || action === "sails") return "sits";
  return action;
}

const NUMBER_WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  couple: 2,
  pair: 2,
  few: 3,
  several: 4,
  many: 5,
  group: 4,
  crowd: 5,
};
const MAX_COUNT = 5;
const MAX_SUBJECTS = 3;
/** Words an action may be from its noun ("a woman in a long red coat slowly walks"). */
const ACTION_REACH_AFTER = 8;
const ACTION_REACH_BEFORE = 2;

const EMPTY_CUE =
  "empty|deserted|abandoned|nobody|no one|unpopulated|lifeless|uninhabited|desolate|alone with nothing";

/** The subjects of a prompt, in the order first named; none for an empty prompt. */
export function findSubjects(text: string): Subject[] {
  const found: Array<{ noun: Noun; at: number; end: number; plural: boolean }> = [];
  for (const [noun, singular, plural] of NOUN_CUES) {
    const hits = [
      ...mentions(text, singular).map((hit) => ({ ...hit, plural: false })),
      ...mentions(text, plural).map((hit) => ({ ...hit, plural: true })),
    ].sort((a, b) => a.at - b.at);
    const first = hits[0];
    if (first)
      found.push({
        noun,
        at: first.at,
        end: first.at + first.length,
        plural: hits.some((hit) => hit.plural),
      });
  }
  found.sort((a, b) => a.at - b.at);
  const empty = mentioned(text, EMPTY_CUE);
  const subjects: Subject[] = [];
  for (const hit of found) {
    if (empty && hit.noun.kind === "person") continue;
    // A pronoun only adds a person when nothing was named before it ("she" is the woman, or
    // the dog, already there).
    const pronoun = /^(?:he|him|his|she|her|they|them)$/.test(text.slice(hit.at, hit.end));
    if (pronoun && subjects.length > 0) continue;
    const action = fitAction(hit.noun, actionNear(text, hit.at, hit.end) ?? defaultAction(hit.noun));
    const count = countOf(text, hit.at, hit.plural, text.slice(hit.at, hit.end));
    subjects.push({ ...hit.noun, action, count } as Subject);
    if (subjects.length === MAX_SUBJECTS) break;
  }
  return subjects;
}

/**
 * Where the prompt names each of `subjects` (its noun, plural or a pronoun of its kind):
 * `[subject index, offset]` pairs in text order. Dialogue uses it to find who speaks a quote.
 */
export function subjectMentions(text: string, subjects: readonly Subject[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  subjects.forEach((subject, index) => {
    const cue = NOUN_CUES.find(([noun]) => sameNoun(noun, subject));
    if (!cue) return;
    for (const hit of [...mentions(text, cue[1]), ...mentions(text, cue[2])]) found.push([index, hit.at]);
  });
  return found.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

function sameNoun(noun: Noun, subject: Subject): boolean {
  if (noun.kind === "person") return subject.kind === "person" && subject.role === noun.role;
  if (noun.kind === "animal") return subject.kind === "animal" && subject.animal === noun.animal;
  return subject.kind === "vehicle" && subject.vehicle === noun.vehicle;
}

function actionNear(text: string, at: number, end: number): Action | undefined {
  const clauseEnd = text.slice(end).search(/[.,;:!?]|\b(?:and|while|as|but)\b/);
  const after = text.slice(end, clauseEnd === -1 ? undefined : end + clauseEnd);
  const afterWords = after.trim().split(" ").slice(0, ACTION_REACH_AFTER).join(" ");
  const beforeWords =
    text
      .slice(0, at)
      .split(/[.,;:!?]/)
      .pop()
      ?.trim()
      .split(" ")
      .slice(-ACTION_REACH_BEFORE)
      .join(" ") ?? "";
  return earliest(afterWords, ACTION_CUES)?.value ?? earliest(beforeWords, ACTION_CUES)?.value;
}

function countOf(text: string, at: number, plural: boolean, word: string): number {
  const before = text
    .slice(Math.max(0, at - 24), at)
    .trim()
    .split(" ");
  for (const token of [...before.slice(-3)].reverse()) {
    const n = NUMBER_WORDS[token] ?? (/^\d+$/.test(token) ? Number(token) : undefined);
    if (n !== undefined) return Math.min(MAX_COUNT, Math.max(1, n));
  }
  if (word === "couple") return 2;
  if (
    word === "crowd" ||
    word === "crowds" ||
    word === "flock" ||
    word === "traffic" ||
    word === "school of fish"
  )
    return MAX_COUNT;
  return plural ? 3 : 1;
}
