/**
 * The ways a request can end without a result, as fal reports them: the status carries `error`
 * and `error_type`, and the result URL answers with `httpStatus` and a `detail`.
 */
export const REQUEST_ERRORS = {
  cancelled: { type: "cancelled", httpStatus: 400, message: "Request was cancelled" },
  timeout: { type: "request_timeout", httpStatus: 504, message: "Request timed out before it started" },
  workerLost: {
    type: "runner_disconnected",
    httpStatus: 500,
    message: "The request was attempted too many times: each attempt's worker stopped responding",
  },
  engine: { type: "engine_error", httpStatus: 500, message: "The engine failed" },
  input: { type: "invalid_input", httpStatus: 422, message: "Invalid input" },
} as const;
