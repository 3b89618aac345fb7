import type { Language } from "../../scene-plan.ts";

/**
 * Text → a timeline of syllables and pauses for the babble voice: Latin words by their vowel
 * groups, and one syllable per Han character, kana or Hangul block. Only rhythm and a rough
 * vowel colour are kept — the babble voice says no words, it sounds like someone talking.
 */

/** Vowel colours: a, e, i, o, u. */
export type Vowel = 0 | 1 | 2 | 3 | 4;
export type Onset = "none" | "plosive" | "fricative" | "nasal";

export type SpeechUnit =
  | {
      kind: "syllable";
      vowel: Vowel;
      onset: Onset;
      stressed: boolean;
      /** Mandarin tone 1–4 (0 for other languages): the pitch's shape over the syllable. */
      tone: number;
      seconds: number;
    }
  | { kind: "pause"; seconds: number };

export interface Utterance {
  units: SpeechUnit[];
  /** The line ends with a question: the pitch rises at the end. */
  question: boolean;
}

/** Mean syllable length at normal speed, by language (morae are quick, Mandarin syllables long). */
const SYLLABLE_SECONDS: Record<Language, number> = { en: 0.19, es: 0.15, cmn: 0.23, ja: 0.13, ko: 0.17 };
const PAUSE = { word: 0.045, comma: 0.2, sentence: 0.36 } as const;

const VOWELS: Record<string, Vowel> = {};
for (const [letters, vowel] of [
  ["aáàâäã", 0],
  ["eéèêë", 1],
  ["iíìîïy", 2],
  ["oóòôöõ", 3],
  ["uúùûü", 4],
] as const)
  for (const letter of letters) VOWELS[letter] = vowel;

function onsetOf(consonants: string): Onset {
  const first = consonants.at(-1) ?? "";
  if (first === "") return "none";
  if ("ptkbdgqc".includes(first)) return "plosive";
  if ("sfhzxjvś".includes(first)) return "fricative";
  return "nasal";
}

/**
 * @example syllabify("we're late", "en").units.filter((u) => u.kind === "syllable").length // 2
 */
export function syllabify(text: string, language: Language): Utterance {
  const base = SYLLABLE_SECONDS[language];
  const units: SpeechUnit[] = [];
  const pause = (seconds: number) => {
    const last = units.at(-1);
    if (last === undefined) return;
    if (last.kind === "pause") last.seconds = Math.max(last.seconds, seconds);
    else units.push({ kind: "pause", seconds });
  };
  const syllable = (vowel: Vowel, onset: Onset, stressed: boolean, tone: number, seed: number) =>
    units.push({
      kind: "syllable",
      vowel,
      onset,
      stressed,
      tone,
      // Stressed syllables are longer; the rest vary a little, as speech does.
      seconds: base * (stressed ? 1.2 : 0.85 + 0.2 * ((seed % 7) / 6)),
    });
  const tokens = text.toLowerCase().match(/[\p{L}\p{M}']+|[,;:、，；：]|[.!?…。！？]/gu) ?? [];
  for (const token of tokens) {
    if (/^[,;:、，；：]$/u.test(token)) pause(PAUSE.comma);
    else if (/^[.!?…。！？]$/u.test(token)) pause(PAUSE.sentence);
    else if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(token)) {
      for (const char of token) {
        const code = char.codePointAt(0) ?? 0;
        // Small kana and the long-vowel mark lengthen the syllable before instead.
        if (/[ゃゅょぁぃぅぇぉっャュョァィゥェォッー]/u.test(char)) {
          const last = units.at(-1);
          if (last?.kind === "syllable") last.seconds += base * 0.5;
          continue;
        }
        const hangul = code >= 0xac00 && code <= 0xd7a3 ? code - 0xac00 : -1;
        const vowel = (hangul >= 0 ? Math.floor((hangul % 588) / 28) : code) % 5;
        const onset =
          (["none", "plosive", "fricative", "nasal"] as const)[
            (hangul >= 0 ? Math.floor(hangul / 588) : code >> 2) % 4
          ] ?? "none";
        syllable(vowel as Vowel, onset, false, language === "cmn" ? (code % 4) + 1 : 0, code);
      }
      pause(PAUSE.word * 0.5);
    } else {
      const groups = [
        ...token.matchAll(/([^aáàâäãeéèêëiíìîïyoóòôöõuúùûü']*)([aáàâäãeéèêëiíìîïyoóòôöõuúùûü]+)/gu),
      ];
      const count = Math.max(1, groups.length);
      // English stresses the first syllable of most words, Spanish the one before last.
      const stressAt = language === "es" ? Math.max(0, count - 2) : 0;
      if (groups.length === 0) syllable(4, onsetOf(token), false, 0, token.length);
      groups.forEach((group, k) => {
        const vowel = VOWELS[group[2]?.[0] ?? "a"] ?? 0;
        syllable(
          vowel,
          onsetOf(group[1] ?? ""),
          count > 1 && k === stressAt,
          0,
          (group.index ?? 0) + token.length,
        );
      });
      pause(PAUSE.word);
    }
  }
  while (units.at(-1)?.kind === "pause") units.pop();
  return { units, question: /[?？]\s*$/u.test(text) };
}
