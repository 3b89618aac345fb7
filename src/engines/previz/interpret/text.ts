/**
 * Keyword matching for the prompt interpreter: cues are regex fragments matched on whole words of
 * normalised text, and a cue preceded closely by a negation ("no rain", "without any people")
 * does not count. Pure functions; compiled patterns are cached.
 */

/** `[value, cue]` pairs: the cue is a regex fragment (alternatives of words or phrases). */
export type Cues<T extends string> = ReadonlyArray<readonly [T, string]>;

export interface Mention<T extends string> {
  value: T;
  /** Character offset in the normalised text. */
  at: number;
  length: number;
}

/** Lower case, hyphens and underscores as spaces, single spaces: "Black-and-white" → "black and white". */
export function normalise(prompt: string): string {
  return prompt
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/[-‐–—_]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const NEGATIONS = new Set([
  "no",
  "not",
  "without",
  "never",
  "nor",
  "zero",
  "lacking",
  "minus",
  "isn't",
  "aren't",
]);
/** Words that end a negation's reach: in "no wind but rain" the rain is there. */
const NEGATION_BREAKS = new Set(["but", "and", "with", "yet", "while", "instead", "only"]);
/** How many words back a negation reaches: "no heavy rain", "without any of the people". */
const NEGATION_REACH = 3;

/**
 * What counts as part of a word around a cue: ASCII letters and digits, and the letters of the
 * Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Hangul and CJK blocks (punctuation, symbols and
 * emoji are word edges). Spelled out rather than `\p{L}\p{N}`: V8 builds a Unicode property
 * class on every compile of a pattern, about a millisecond each, and it discards compiled
 * patterns at garbage collection, so with property classes every request paid some 70 ms.
 */
const WORD =
  "0-9A-Za-z\\u00aa\\u00b5\\u00ba\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u1fff\\u2c00-\\u2dff" +
  "\\u3040-\\ud7ff\\uf900-\\ufdff\\ufe70-\\ufefe\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a\\uff66-\\uffdc";

const compiled = new Map<string, RegExp>();

function patternOf(cue: string): RegExp {
  let pattern = compiled.get(cue);
  if (pattern === undefined) {
    // Lookarounds instead of \b so that cues such as "b&w" and "café" still end on a word edge.
    pattern = new RegExp(`(?<![${WORD}])(?:${cue})(?![${WORD}])`, "gu");
    compiled.set(cue, pattern);
  }
  return pattern;
}

/** Every non-negated match of a cue: offset and length. */
export function mentions(text: string, cue: string): Array<{ at: number; length: number }> {
  const found: Array<{ at: number; length: number }> = [];
  for (const match of text.matchAll(patternOf(cue))) {
    if (!isNegated(text, match.index)) found.push({ at: match.index, length: match[0].length });
  }
  return found;
}

/** Offset of the first non-negated match of a cue, or -1. */
export function firstMention(text: string, cue: string): number {
  return mentions(text, cue)[0]?.at ?? -1;
}

export function mentioned(text: string, cue: string): boolean {
  return firstMention(text, cue) !== -1;
}

/**
 * The value whose cue appears first (not negated); on a tie the longer match wins, so that
 * "tracking in" reads as a push-in rather than a tracking shot.
 */
export function earliest<T extends string>(text: string, cues: Cues<T>): Mention<T> | undefined {
  let best: Mention<T> | undefined;
  for (const [value, cue] of cues) {
    const first = mentions(text, cue)[0];
    if (first === undefined) continue;
    if (best === undefined || first.at < best.at || (first.at === best.at && first.length > best.length)) {
      best = { value, ...first };
    }
  }
  return best;
}

/** True when a negation comes shortly before `at` within the same clause. */
function isNegated(text: string, at: number): boolean {
  const clause =
    text
      .slice(0, at)
      .split(/[.,;:!?()]/)
      .pop() ?? "";
  const words = clause.trim().split(" ").slice(-NEGATION_REACH).reverse();
  for (const word of words) {
    if (NEGATION_BREAKS.has(word)) return false;
    if (NEGATIONS.has(word)) return true;
  }
  return false;
}
