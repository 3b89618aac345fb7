import type { EndpointInfo } from "../api/contract.ts";
import { formatUsd } from "./draft.ts";

/** previz draws a procedural sketch: say so wherever it is offered, so nobody mistakes it for a model. */
export const isProceduralPreview = (endpoint: EndpointInfo) => endpoint.engine === "previz";

interface EndpointPickerProps {
  endpoints: EndpointInfo[];
  value: string;
  onChange: (endpointId: string) => void;
}

/** The served endpoints, each with the engine that runs it and its price. */
export function EndpointPicker({ endpoints, value, onChange }: EndpointPickerProps) {
  return (
    <fieldset class="field endpoint-picker">
      <legend>Endpoint</legend>
      {endpoints.map((endpoint) => (
        <label key={endpoint.id} class={endpoint.id === value ? "endpoint selected" : "endpoint"}>
          <input
            type="radio"
            name="endpoint"
            value={endpoint.id}
            checked={endpoint.id === value}
            onChange={() => onChange(endpoint.id)}
          />
          <span class="endpoint-text">
            <code class="endpoint-id">{endpoint.id}</code>
            <span class="endpoint-meta">
              engine <code>{endpoint.engine}</code> ·{" "}
              {endpoint.price_per_second === 0 ? "free" : `${formatUsd(endpoint.price_per_second)}/s`}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** Which engine will run the request, in plain words. */
export function EngineNotice({ endpoint }: { endpoint: EndpointInfo }) {
  return (
    <div class="engine-notice" data-engine={endpoint.engine}>
      {isProceduralPreview(endpoint) ? (
        <strong class="badge preview">Procedural preview — not a neural model</strong>
      ) : (
        <strong class="badge model">Engine: {endpoint.engine}</strong>
      )}
      <p>
        Runs on <code>{endpoint.engine}</code>: {endpoint.engine_description}.
      </p>
    </div>
  );
}
