import { priceOf } from "../../../src/contract/pricing.ts";
import type { FieldErrors } from "../api/api-error.ts";
import type { EndpointInfo, FormLimits } from "../api/contract.ts";
import { AspectPicker } from "./aspect-picker.tsx";
import { formatUsd, newShot, secondsOf, type Draft, type Mode } from "./draft.ts";
import { FieldErrorList } from "./field-errors.tsx";
import { PromptField } from "./prompt-field.tsx";
import { ShotEditor } from "./shot-editor.tsx";

interface VideoFormProps {
  draft: Draft;
  limits: FormLimits;
  endpoint: EndpointInfo;
  /** Problems found in the browser and fields the server refused (422). */
  errors: FieldErrors;
  blocked: boolean;
  busy: boolean;
  onChange: (draft: Draft) => void;
  onSubmit: () => void;
}

export function VideoForm({
  draft,
  limits,
  endpoint,
  errors,
  blocked,
  busy,
  onChange,
  onSubmit,
}: VideoFormProps) {
  const seconds = secondsOf(draft);
  const price = priceOf(seconds, endpoint.price_per_second);
  const setMode = (mode: Mode) => {
    // A storyboard started from a single prompt begins with that prompt as its first shot.
    const seeded =
      mode === "storyboard" &&
      draft.shots.length === 1 &&
      draft.shots[0]?.prompt === "" &&
      draft.prompt !== ""
        ? [
            newShot(
              draft.prompt,
              limits.shotDurations.includes(draft.duration) ? draft.duration : limits.defaultShotDuration,
            ),
          ]
        : draft.shots;
    onChange({ ...draft, mode, shots: seeded });
  };

  return (
    <form
      class="video-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!blocked && !busy) onSubmit();
      }}
    >
      <div class="mode-switch" role="radiogroup" aria-label="Mode">
        {(["single", "storyboard"] as const).map((mode) => (
          <label key={mode} class={draft.mode === mode ? "selected" : ""}>
            <input
              type="radio"
              name="mode"
              value={mode}
              checked={draft.mode === mode}
              onChange={() => setMode(mode)}
            />
            {mode === "single" ? "Single prompt" : "Storyboard"}
          </label>
        ))}
      </div>

      {draft.mode === "single" ? (
        <PromptField
          id="prompt"
          path="prompt"
          label="Prompt"
          value={draft.prompt}
          limits={limits}
          errors={errors}
          onChange={(prompt) => onChange({ ...draft, prompt })}
        />
      ) : (
        <ShotEditor
          shots={draft.shots}
          limits={limits}
          errors={errors}
          onChange={(shots) => onChange({ ...draft, shots })}
        />
      )}

      <div class="form-row">
        <AspectPicker
          ratios={limits.aspectRatios}
          value={draft.aspectRatio}
          errors={errors}
          onChange={(aspectRatio) => onChange({ ...draft, aspectRatio })}
        />
        {draft.mode === "single" ? (
          <div class="field">
            <label for="duration">Duration</label>
            <select
              id="duration"
              data-field="duration"
              value={draft.duration}
              onChange={(event) => onChange({ ...draft, duration: event.currentTarget.value })}
            >
              {limits.durations.map((value) => (
                <option key={value} value={value}>
                  {value} s
                </option>
              ))}
            </select>
            <FieldErrorList errors={errors} path="duration" />
          </div>
        ) : (
          <div class="field">
            <span class="label">Duration</span>
            <p class="hint">The sum of the shots: {seconds} s</p>
          </div>
        )}
      </div>

      <div class="submit-row">
        <p class="price" data-price>
          Estimated price: <strong>{formatUsd(price)}</strong>
          {endpoint.price_per_second > 0 && (
            <span class="hint">
              {" "}
              ({seconds} s × {formatUsd(endpoint.price_per_second)}/s)
            </span>
          )}
        </p>
        <button type="submit" class="primary" disabled={blocked || busy}>
          {busy ? "Running…" : "Generate"}
        </button>
      </div>
      {blocked && <p class="blocked-note">Fix the marked fields to submit.</p>}
    </form>
  );
}
