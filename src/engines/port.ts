import type { LogLevel } from "../contract/queue.ts";
import type { GenerationPlan } from "../jobs/plan.ts";

/**
 * Terminology
 * - engine: what draws the pixels for a plan (previz, fal, comfyui). It never touches HTTP or the store.
 * - work dir: a private directory for one attempt; the engine writes its MP4 there.
 */

export interface EngineContext {
  /** Aborted when the request is cancelled or the worker shuts down: stop and throw. */
  signal: AbortSignal;
  log(message: string, level?: LogLevel): void;
  /** Fraction done, 0–1. */
  progress(fraction: number): void;
  workDir: string;
}

export interface EngineOutput {
  /** An MP4 inside the work dir that follows the plan exactly. */
  path: string;
}

export interface Engine {
  /** Short id used in configuration (`previz`, `fal`, `comfyui`). */
  readonly name: string;
  /** One line for people: what this engine is (previz says it is procedural, not a neural model). */
  readonly description: string;
  generate(plan: GenerationPlan, context: EngineContext): Promise<EngineOutput>;
  /**
   * Gets ready for a first render (threads, connections) ahead of it. Called by the processes
   * that render with this engine; an API-only process never calls it and pays nothing.
   */
  warmUp?(): void;
}

/** A failure that no retry can fix (the input itself is at fault): the request ends at once. */
export class UnrecoverableError extends Error {
  override name = "UnrecoverableError";
}

/**
 * The model refused the input (e.g. an upstream 422): the request ends at once, and its result URL
 * answers 422 with this `detail`, as the model's own endpoint did.
 */
export class InputRejectedError extends UnrecoverableError {
  override name = "InputRejectedError";
  constructor(
    message: string,
    readonly detail: unknown,
  ) {
    super(message);
  }
}
