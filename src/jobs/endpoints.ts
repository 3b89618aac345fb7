/**
 * The model endpoints a Shotline server answers. fal addresses an endpoint by its full id
 * (`owner/app/path…`) on submit, and by `owner/app` alone for a request's status, result and cancel.
 */
export interface EndpointIdentity {
  /** Full id, e.g. `fal-ai/kling-video/v3/turbo/pro/text-to-video`. */
  id: string;
  /** `owner/app`, the prefix of a request's URLs. */
  app: string;
}

export const KLING_V3_TURBO_PRO_T2V = "fal-ai/kling-video/v3/turbo/pro/text-to-video";
/** Same schema, always rendered by previz at no cost: a free preview of the request one is about to pay for. */
export const PREVIZ_T2V = "shotline/previz/text-to-video";

export function endpointIdentity(id: string): EndpointIdentity {
  const [owner, app] = id.split("/");
  return { id, app: `${owner}/${app}` };
}
