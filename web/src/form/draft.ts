import type { FieldErrors } from "../api/api-error.ts";
import type { FormLimits, VideoRequestInput } from "../api/contract.ts";

export type Mode = "single" | "storyboard";

export interface DraftShot {
  /** Stable identity while shots are added, removed and reordered. */
  id: number;
  prompt: string;
  duration: string;
}

/** What the form holds: both modes' fields, so switching back and forth loses nothing. */
export interface Draft {
  mode: Mode;
  prompt: string;
  duration: string;
  aspectRatio: string;
  shots: DraftShot[];
}

let nextShotId = 1;
export const newShot = (prompt: string, duration: string): DraftShot => ({
  id: nextShotId++,
  prompt,
  duration,
});

export function initialDraft(limits: FormLimits): Draft {
  return {
    mode: "single",
    prompt: "",
    duration: limits.defaultDuration,
    aspectRatio: limits.defaultAspectRatio,
    shots: [newShot("", limits.defaultShotDuration)],
  };
}

/** The request body of the draft: `prompt` + `duration`, or `multi_prompt`. */
export function inputOf(draft: Draft): VideoRequestInput {
  if (draft.mode === "storyboard") {
    return {
      multi_prompt: draft.shots.map((shot) => ({ prompt: shot.prompt, duration: shot.duration })),
      aspect_ratio: draft.aspectRatio,
    };
  }
  return { prompt: draft.prompt, aspect_ratio: draft.aspectRatio, duration: draft.duration };
}

/** A past input back in the form (history). */
export function draftOf(input: VideoRequestInput, limits: FormLimits): Draft {
  const draft = initialDraft(limits);
  draft.aspectRatio = input.aspect_ratio;
  if (input.multi_prompt) {
    draft.mode = "storyboard";
    draft.shots = input.multi_prompt.map((shot) => newShot(shot.prompt, shot.duration));
  } else {
    draft.prompt = input.prompt ?? "";
    draft.duration = input.duration ?? limits.defaultDuration;
  }
  return draft;
}

/** Seconds of video the draft asks for: the sum of its shots, or its duration. */
export function secondsOf(draft: Draft): number {
  if (draft.mode === "storyboard") return draft.shots.reduce((sum, shot) => sum + Number(shot.duration), 0);
  return Number(draft.duration);
}

/** What the server would refuse, found before submitting; each blocks the submit button. */
export function draftProblems(draft: Draft, limits: FormLimits): FieldErrors {
  const problems: FieldErrors = {};
  const tooLong = (text: string) =>
    `${text.length} characters: a prompt may have at most ${limits.promptMaxChars}`;
  if (draft.mode === "single") {
    if (draft.prompt.length > limits.promptMaxChars) problems["prompt"] = [tooLong(draft.prompt)];
    return problems;
  }
  draft.shots.forEach((shot, index) => {
    if (shot.prompt.length > limits.promptMaxChars)
      problems[`multi_prompt.${index}.prompt`] = [tooLong(shot.prompt)];
  });
  const total = secondsOf(draft);
  if (total > limits.maxStoryboardSeconds) {
    problems["multi_prompt"] = [
      `The shots add up to ${total} s; a storyboard may last at most ${limits.maxStoryboardSeconds} s`,
    ];
  }
  return problems;
}

/** Cents, or every digit of a sub-cent price. */
export function formatUsd(usd: number): string {
  if (usd === 0) return "free";
  const cents = usd.toFixed(2);
  return `$${Number(cents) === usd ? cents : String(usd)}`;
}

/** Paths of the fields the form shows for this draft: a 422 naming another goes above the form. */
export function fieldPathsOf(draft: Draft): string[] {
  if (draft.mode === "single") return ["prompt", "duration", "aspect_ratio"];
  return [
    "multi_prompt",
    "aspect_ratio",
    ...draft.shots.flatMap((_, i) => [
      `multi_prompt.${i}`,
      `multi_prompt.${i}.prompt`,
      `multi_prompt.${i}.duration`,
    ]),
  ];
}
