import type { Language } from "../scene-plan.ts";

/**
 * The language of a line of dialogue, from its script first (Hangul, kana, Han) and then, for
 * Latin text, from Spanish marks and common words against English ones. Deterministic and small:
 * enough to pick a voice, not a general language identifier.
 */

const SPANISH_MARKS = /[ñ¿¡]/u;
const ACCENTED = /[áéíóúü]/gu;
const SPANISH_WORDS = new Set(
  (
    "el la los las que qué de del y un una unos por para con es está estás estamos están muy pero como cómo " +
    "vamos hola gracias tarde aquí ahora sí yo tú mi te se lo le nos señor señora amigo amiga bueno buenos " +
    "buenas días noche adiós dónde cuándo porque nada todo tengo tienes quiero eres soy somos mañana hoy"
  ).split(" "),
);
const ENGLISH_WORDS = new Set(
  (
    "the a an is are was were we you i it to of and in on at that this what me my be late go not i'm " +
    "we're it's don't can't yes hello come here there they he she his her have has will with for do now"
  ).split(" "),
);

/**
 * @example detectLanguage("¿Dónde estás?") // "es"
 * @example detectLanguage("我们迟到了") // "cmn"
 */
export function detectLanguage(text: string): Language {
  if (/\p{Script=Hangul}/u.test(text)) return "ko";
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return "ja";
  if (/\p{Script=Han}/u.test(text)) return "cmn";
  const lower = text.toLowerCase().replace(/[’‘]/g, "'");
  const words = lower.split(/[^\p{L}']+/u).filter((word) => word !== "");
  let spanish = SPANISH_MARKS.test(lower) ? 3 : 0;
  spanish += (lower.match(ACCENTED) ?? []).length;
  let english = 0;
  for (const word of words) {
    if (SPANISH_WORDS.has(word)) spanish++;
    if (ENGLISH_WORDS.has(word)) english++;
  }
  return spanish > english ? "es" : "en";
}
