import { join } from "node:path";

import { EncodeAbortedError } from "../../media/errors.ts";
import { startEncoder } from "../../media/encoder.ts";
import type { GenerationPlan } from "../../jobs/plan.ts";
import type { Engine } from "../port.ts";
import {
  composeSoundtrack,
  describeMouth,
  describeSoundtrack,
  detectEspeak,
  mixSoundtrack,
  soundtrackWav,
  speakStoryboard,
  withMouths,
} from "./audio/index.ts";
import type { MouthTrack, SpeechSource, SpokenStoryboard } from "./audio/index.ts";
import { createFrameRenderer } from "./frames/frame-renderer.ts";
import { createDrawThreadPool } from "./frames/thread-pool.ts";
import type { DrawThread } from "./frames/draw-thread.ts";
import { PREVIZ_DESCRIPTION } from "./description.ts";
import { describeScenePlan } from "./scene-plan.ts";
import { makeStoryboard } from "./storyboard.ts";
import type { Storyboard } from "./storyboard.ts";

export { interpretPrompt } from "./interpret/index.ts";
export { describeScenePlan, type ScenePlan } from "./scene-plan.ts";
export type { MouthTrack } from "./audio/index.ts";

export interface PrevizEngineOptions {
  ffmpegPath: string;
  /**
   * Draw in a worker thread while the main thread feeds ffmpeg (default true). Off, frames are
   * drawn on the calling thread: slower, but needs no worker.
   */
  drawThread?: boolean;
  /** A sound track in every video (default true): ambient bed, music, dialogue with lip sync. */
  audio?: boolean;
  /**
   * Who speaks dialogue: `auto` (default) uses espeak-ng when it runs on this machine, else the
   * procedural babble voice; `babble` always uses the babble voice.
   */
  speech?: "auto" | "babble";
  /** The espeak-ng command (default `espeak-ng`, looked up on the PATH). */
  espeakCommand?: string;
  /** Debug hook: each render's mouth tracks (openness per frame), the same as its log lines. */
  onMouths?: (mouths: MouthTrack[]) => void;
}

export { PREVIZ_DESCRIPTION } from "./description.ts";
export { renderContactSheet, type ContactSheet, type ContactSheetOptions } from "./contact-sheet.ts";

/**
 * Share of the progress bar for drawing; the rest is ffmpeg finishing the file, so that 1 is only
 * reported once the MP4 exists.
 */
const DRAWING_SHARE = 0.98;

/**
 * The embedded default engine: reads each shot's prompt into a scene plan and draws it
 * procedurally, frame by frame, into ffmpeg. Same plan ⇒ byte-identical video. A cancel (the
 * context's signal) rejects with `EncodeAbortedError` and leaves no ffmpeg and no partial file.
 * @example
 * const engine = createPrevizEngine({ ffmpegPath: defaultMediaTools().ffmpegPath });
 * const { path } = await engine.generate(plan, { signal, log, progress, workDir });
 */
export function createPrevizEngine(options: PrevizEngineOptions): Engine {
  const threads = options.drawThread === false ? undefined : createDrawThreadPool();
  const audio = options.audio ?? true;
  const speech = audio ? findSpeech(options) : undefined;
  return {
    name: "previz",
    description: PREVIZ_DESCRIPTION,
    // The drawing thread loads its modules and Skia before the first request needs it.
    warmUp: () => threads?.prewarm(),
    async generate(plan, { signal, log, progress, workDir }) {
      if (signal.aborted) throw new EncodeAbortedError({ cause: signal.reason });
      const { width, height, fps } = plan;
      log(
        `previz: ${PREVIZ_DESCRIPTION}. Drawing ${plan.shots.length} shot(s), ${width}×${height} at ${fps} fps, ${audio ? "with sound" : "silent"}`,
      );
      let storyboard = makeStoryboard(plan);
      // The voices come first: they decide how the mouths move. Beds and music are mixed later,
      // while the first frames are drawn.
      let spoken: SpokenStoryboard | undefined;
      if (speech) {
        spoken = await speakStoryboard(storyboard, {
          speech: await speech,
          signal,
          warn: (message) => log(`previz: ${message}`, "WARN"),
        }).catch((error: unknown) => {
          throw signal.aborted ? new EncodeAbortedError({ cause: signal.reason }) : error;
        });
        options.onMouths?.(spoken.mouths);
        storyboard = withMouths(storyboard, spoken.mouths);
      }
      const mouths = spoken?.mouths ?? [];
      const sound = spoken ? deferred<Uint8Array>() : undefined;
      // Each shot's reading is logged as the shot starts, so the log follows the render.
      const shotStarts = new Map(storyboard.shots.map((shot) => [shot.startFrame, shot]));
      // ffmpeg starts before the first frame so that its start-up overlaps the drawing thread's.
      const encoder = startEncoder({
        ffmpegPath: options.ffmpegPath,
        width,
        height,
        fps,
        outputPath: join(workDir, "output.mp4"),
        signal,
        ...(sound ? { audio: { wav: sound.promise } } : {}),
      });
      let thread: DrawThread | undefined;
      let frames: AsyncGenerator<Uint8Array> | undefined;
      try {
        thread = await threads?.acquire().catch((error: unknown) => {
          log(`previz: no drawing thread (${String(error)}); drawing on the main thread`, "WARN");
          return undefined;
        });
        frames = thread ? thread.frames(storyboard, signal) : drawInline(storyboard, signal);
        // Asking for the first frame sets the drawing thread going; the sound is mixed meanwhile.
        const first = frames.next();
        first.catch(() => {});
        if (spoken && sound) {
          const soundtrack = mixSoundtrack(storyboard, spoken);
          log(describeSoundtrack(soundtrack));
          sound.resolve(soundtrackWav(soundtrack));
          // Only the WAV bytes are needed from here on: the voices' samples may go.
          spoken = undefined;
        }
        let written = 0;
        for (let next = await first; !next.done; next = await frames.next()) {
          const shot = shotStarts.get(written);
          if (shot) {
            log(describeScenePlan(shot.scene, { index: shot.index, count: storyboard.shots.length }));
            for (const track of mouths.filter((m) => m.shot === shot.index))
              log(describeMouth(track, storyboard.shots.length));
          }
          await encoder.writeFrame(next.value);
          written++;
          progress((DRAWING_SHARE * written) / plan.totalFrames);
        }
        const { path } = await encoder.finish();
        progress(1);
        return { path };
      } catch (error) {
        sound?.reject(error);
        await encoder.abort();
        throw error;
      } finally {
        // Stops the drawing of a storyboard left unfinished; the thread is free again after.
        await frames?.return(undefined);
        if (thread) threads?.release(thread);
      }
    },
  };
}

/**
 * The mouth tracks a render of `plan` would draw (and log), without drawing or encoding it: for
 * a contact sheet of a storyboard with dialogue.
 */
export async function lipSync(
  plan: GenerationPlan,
  options: Pick<PrevizEngineOptions, "speech" | "espeakCommand"> = {},
): Promise<MouthTrack[]> {
  const storyboard = makeStoryboard(plan);
  if (storyboard.shots.every((shot) => shot.scene.dialogue.length === 0)) return [];
  const signal = new AbortController().signal;
  return (await composeSoundtrack(storyboard, { speech: await findSpeech(options), signal })).mouths;
}

/** Looks for espeak-ng once, when the engine is made; the babble voice when it is not there. */
export function findSpeech(
  options: Pick<PrevizEngineOptions, "speech" | "espeakCommand"> = {},
): Promise<SpeechSource> {
  if (options.speech === "babble") return Promise.resolve({ kind: "babble" });
  const command = options.espeakCommand ?? "espeak-ng";
  return detectEspeak(command).then((version) =>
    version === undefined ? { kind: "babble" } : { kind: "espeak-ng", command, version },
  );
}

/** A promise and the functions that settle it (Node 20 has no `Promise.withResolvers`). */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((yes, no) => ([resolve, reject] = [yes, no]));
  return { promise, resolve, reject };
}

/** The same frames drawn on this thread, one at a time. */
async function* drawInline(storyboard: Storyboard, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  // The renderer's own frame, drawn over each time: the encoder is done with it when its write
  // resolves.
  const renderer = createFrameRenderer(storyboard);
  for (let index = 0; index < storyboard.totalFrames; index++) {
    // Checked before each frame so a cancel never waits for a whole shot.
    if (signal.aborted) throw new EncodeAbortedError({ cause: signal.reason });
    yield renderer.render(index);
  }
}
