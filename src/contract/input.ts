import { z } from "zod";

/**
 * The input of `fal-ai/kling-video/v3/turbo/pro/text-to-video`, written once. It drives validation
 * (and so the 422 `detail` entries), the OpenAPI document and every limit other parts show.
 */

export const PROMPT_MAX_CHARS = 3072;
/** The model page's advice: longer prompts are accepted but work less well. */
export const PROMPT_ADVISED_CHARS = 2500;
export const MAX_SHOTS = 6;
export const MAX_STORYBOARD_SECONDS = 15;

export const ASPECT_RATIOS = ["16:9", "9:16", "1:1"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

const secondsRange = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i)) as [string, ...string[]];
export const VIDEO_DURATIONS = secondsRange(3, 15);
export const SHOT_DURATIONS = secondsRange(1, 15);

/** `null` means "not given", as in fal's own examples (`"multi_prompt": null`). */
const nullAsAbsent = (value: unknown) => (value === null ? undefined : value);

/** Durations arrive as `"5"`, `5` or `"5s"`; all mean the canonical `"5"`. */
function canonicalDuration(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value === "string") return value.trim().replace(/^(\d+)\s*s$/i, "$1");
  return value;
}

const duration = (options: [string, ...string[]], description: string) =>
  z.preprocess(canonicalDuration, z.enum(options).default("5")).meta({ description });

export const MultiPromptElementSchema = z
  .object({
    prompt: z.string().meta({ description: "The prompt of this shot." }),
    duration: duration(SHOT_DURATIONS, "Length of this shot in seconds."),
  })
  .meta({ id: "KlingV3MultiPromptElement", title: "KlingV3MultiPromptElement" });

export const VideoInputSchema = z
  .object({
    prompt: z.preprocess(nullAsAbsent, z.string().max(PROMPT_MAX_CHARS).optional()).meta({
      description: `Text prompt to generate the video with. For best results keep the prompt under ${PROMPT_ADVISED_CHARS} characters. Mutually exclusive with \`multi_prompt\`.`,
      examples: [
        "A jazz saxophonist sways gently into the note, cheeks pressing, sweat glistening, smoke drifting through the warm light. The camera eases in slowly. Photorealistic, soulful, moody.",
      ],
    }),
    multi_prompt: z
      .preprocess(nullAsAbsent, z.array(MultiPromptElementSchema).min(1).max(MAX_SHOTS).optional())
      .meta({
        description: `Multi-shot storyboard (1-${MAX_SHOTS} shots). Each shot has its own prompt and duration; the total duration must not exceed ${MAX_STORYBOARD_SECONDS}s. Mutually exclusive with \`prompt\`.`,
      }),
    aspect_ratio: z
      .preprocess(nullAsAbsent, z.enum(ASPECT_RATIOS).default("16:9"))
      .meta({ description: "The aspect ratio (width:height) of the generated video." }),
    duration: duration(VIDEO_DURATIONS, "Video length in seconds."),
  })
  .superRefine((input, ctx) => {
    if (input.prompt !== undefined && input.multi_prompt !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["multi_prompt"],
        message: "`prompt` and `multi_prompt` are mutually exclusive: send one of them",
        input: input.multi_prompt,
      });
    }
    const total = (input.multi_prompt ?? []).reduce((sum, shot) => sum + Number(shot.duration), 0);
    if (total > MAX_STORYBOARD_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["multi_prompt"],
        message: `The shots add up to ${total} s; a storyboard may last at most ${MAX_STORYBOARD_SECONDS} s`,
        input: input.multi_prompt,
      });
    }
  })
  .meta({ id: "KlingVideoV3TurboProTextToVideoInput", title: "TextToVideoV3Input" });

export type MultiPromptElement = z.output<typeof MultiPromptElementSchema>;
/** A validated, canonical input: defaults applied, durations as strings, `null`s gone. */
export type VideoInput = z.output<typeof VideoInputSchema>;

/** Seconds of video a valid input asks for: the storyboard's sum, or `duration`. */
export function requestedSeconds(input: VideoInput): number {
  if (input.multi_prompt) return input.multi_prompt.reduce((sum, shot) => sum + Number(shot.duration), 0);
  return Number(input.duration);
}
