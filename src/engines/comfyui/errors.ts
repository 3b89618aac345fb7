import { UnrecoverableError } from "../port.ts";

/**
 * Errors of the ComfyUI engine, told apart by class. A rejected workflow is the operator's to fix
 * (no retry helps); anything else — ComfyUI down, a prompt it lost, an execution error such as
 * running out of GPU memory — may pass on the next attempt.
 */

/** The workflow file cannot be used: not found, not JSON, not API format, unknown placeholders… */
export class WorkflowError extends Error {
  override name = "WorkflowError";
}

/** ComfyUI refused the graph (`POST /prompt` answered 400, or 200 with `node_errors`). */
export class WorkflowRejectedError extends UnrecoverableError {
  override name = "WorkflowRejectedError";
}

/** ComfyUI could not be reached, or answered something other than its protocol. */
export class ComfyuiUnavailableError extends Error {
  override name = "ComfyuiUnavailableError";
}

/** A prompt ran and failed (`execution_error`), was interrupted by someone, or was lost. */
export class PromptFailedError extends Error {
  override name = "PromptFailedError";
}

/** Our own cancel: the request's signal was aborted and the prompt was removed from ComfyUI. */
export class PromptCancelledError extends Error {
  override name = "PromptCancelledError";

  constructor(promptId: string, options?: ErrorOptions) {
    super(`Cancelled; ComfyUI prompt ${promptId} was withdrawn`, options);
  }
}
