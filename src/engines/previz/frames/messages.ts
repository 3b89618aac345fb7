import type { Storyboard } from "../storyboard.ts";
import type { FrameRing } from "./ring.ts";

/** What the main thread and a drawing thread say to each other (structured-clone data only). */

export interface RenderRequest {
  type: "render";
  jobId: number;
  storyboard: Storyboard;
  ring: FrameRing;
}

export type DrawerMessage =
  | { type: "ready" }
  /** Frame `index` is in its ring slot. */
  | { type: "frame"; jobId: number; index: number }
  /** The job ended: every frame drawn, or stopped on request. */
  | { type: "done"; jobId: number }
  | { type: "error"; jobId: number; message: string; stack: string | undefined };
