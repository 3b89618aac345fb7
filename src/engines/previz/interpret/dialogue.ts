import type { Delivery, DialogueLine, Subject, Voice } from "../scene-plan.ts";
import { ROBOT_CUE, SHOUT_CUE, WHISPER_CUE } from "./cues.ts";
import { detectLanguage } from "./language.ts";
import { subjectMentions } from "./subjects.ts";
import { mentioned } from "./text.ts";

/**
 * Dialogue in a prompt: text in quotes (`She whispers "we're late"`) is a line spoken by the
 * shot's subject. Quotes are taken out before the rest of the prompt is read, so the words of a
 * line never change the scene ("it's raining" said indoors brings no rain). Each quote is
 * replaced by a marker character that survives normalising, so that who says it and how can be
 * read from the words around it.
 */

/** Straight and curly double quotes, guillemets, „low-high“ and CJK corner brackets. */
const QUOTES = /"([^"]*)"|“([^”]*)”|„([^“”]*)[“”]|«([^»]*)»|「([^」]*)」|『([^』]*)』|＂([^＂]*)＂/gu;
const MAX_LINES = 8;
const MAX_LINE_CHARS = 280;
/** Private-use characters: never in a cue, never a letter, so words on both sides stay whole. */
const MARKER_BASE = 0xe000;

export interface QuotedPrompt {
  /** The prompt with each quote replaced by its marker. */
  described: string;
  /** The quoted texts, trimmed, in order; the i-th has the marker `markerOf(i)`. */
  quotes: string[];
}

export const markerOf = (index: number) => String.fromCharCode(MARKER_BASE + index);

/** @example splitQuotes('She says "hi"').quotes // ["hi"] */
export function splitQuotes(prompt: string): QuotedPrompt {
  const quotes: string[] = [];
  const described = prompt.replace(QUOTES, (whole, ...groups: unknown[]) => {
    const inner = groups.slice(0, 7).find((group): group is string => typeof group === "string") ?? "";
    const text = inner.replace(/\s+/g, " ").trim().slice(0, MAX_LINE_CHARS);
    if (text === "" || quotes.length === MAX_LINES) return " ";
    quotes.push(text);
    return ` ${markerOf(quotes.length - 1)} `;
  });
  return { described, quotes };
}

/**
 * Reads each quote's speaker, voice and delivery from the normalised prompt around its marker:
 * the subject named last before it in its sentence speaks ("she whispers "…""), else the first
 * named after it (""…", he says"), else the last one named earlier, else the first person.
 */
export function readDialogue(
  text: string,
  quotes: readonly string[],
  subjects: readonly Subject[],
): DialogueLine[] {
  const named = subjectMentions(text, subjects);
  return quotes.flatMap((quote, index) => {
    const at = text.indexOf(markerOf(index));
    if (at === -1) return [];
    const start = Math.max(...[".", "!", "?"].map((mark) => text.lastIndexOf(mark, at))) + 1;
    const ends = [".", "!", "?"].map((mark) => text.indexOf(mark, at)).filter((end) => end !== -1);
    const end = ends.length > 0 ? Math.min(...ends) : text.length;
    const before = named.filter(([, offset]) => offset >= start && offset < at).at(-1);
    const after = named.find(([, offset]) => offset > at && offset < end);
    const earlier = named.filter(([, offset]) => offset < start).at(-1);
    const firstPerson = subjects.findIndex((subject) => subject.kind === "person");
    const speaker = (before ?? after ?? earlier)?.[0] ?? (firstPerson === -1 ? null : firstPerson);
    const clause = text.slice(start, end);
    return [
      {
        text: quote,
        language: detectLanguage(quote),
        speaker,
        voice: voiceOf(speaker === null ? undefined : subjects[speaker], clause),
        delivery: deliveryOf(quote, clause),
      },
    ];
  });
}

const FEMININE = "she|her|woman|girl|lady|mother|queen|actress";
const MASCULINE = "he|him|his|man|boy|father|king|actor";

function voiceOf(speaker: Subject | undefined, clause: string): Voice {
  if (mentioned(clause, ROBOT_CUE)) return "robot";
  if (speaker?.kind === "vehicle") return "robot";
  if (speaker?.kind === "animal") return "child";
  const role = speaker?.role;
  if (role === "child" || role === "woman" || role === "man") return role;
  // Roles without a sex (a dancer, an astronaut, someone) take it from the words around.
  if (mentioned(clause, FEMININE)) return "woman";
  if (mentioned(clause, MASCULINE)) return "man";
  return role === "dancer" ? "woman" : "man";
}

function deliveryOf(quote: string, clause: string): Delivery {
  if (mentioned(clause, WHISPER_CUE)) return "whisper";
  if (mentioned(clause, SHOUT_CUE)) return "shout";
  // Latin text in capitals is shouted.
  const letters = quote.replace(/[^\p{Script=Latin}]/gu, "");
  if (letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase())
    return "shout";
  return "normal";
}
