import type { FieldErrors } from "../api/api-error.ts";
import type { FormLimits } from "../api/contract.ts";
import { newShot, type DraftShot } from "./draft.ts";
import { FieldErrorList } from "./field-errors.tsx";
import { PromptField } from "./prompt-field.tsx";

interface ShotEditorProps {
  shots: DraftShot[];
  limits: FormLimits;
  errors: FieldErrors;
  onChange: (shots: DraftShot[]) => void;
}

/** A storyboard: 1 to `maxShots` shots, each with its prompt and duration, and their running total. */
export function ShotEditor({ shots, limits, errors, onChange }: ShotEditorProps) {
  const total = shots.reduce((sum, shot) => sum + Number(shot.duration), 0);
  const over = total > limits.maxStoryboardSeconds;
  const replace = (index: number, shot: DraftShot) => onChange(shots.map((s, i) => (i === index ? shot : s)));
  const move = (index: number, by: -1 | 1) => {
    const reordered = [...shots];
    const [shot] = reordered.splice(index, 1);
    if (shot) reordered.splice(index + by, 0, shot);
    onChange(reordered);
  };

  return (
    <fieldset class="field shot-editor" data-field="multi_prompt">
      <legend>Storyboard</legend>
      <ol class="shots">
        {shots.map((shot, index) => (
          <li key={shot.id} class="shot" data-shot={index}>
            <div class="shot-head">
              <strong>Shot {index + 1}</strong>
              <label class="shot-duration">
                <span>Duration</span>
                <select
                  data-field={`multi_prompt.${index}.duration`}
                  value={shot.duration}
                  onChange={(event) => replace(index, { ...shot, duration: event.currentTarget.value })}
                >
                  {limits.shotDurations.map((seconds) => (
                    <option key={seconds} value={seconds}>
                      {seconds} s
                    </option>
                  ))}
                </select>
              </label>
              <span class="shot-actions">
                <button
                  type="button"
                  aria-label={`Move shot ${index + 1} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move shot ${index + 1} down`}
                  disabled={index === shots.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  aria-label={`Remove shot ${index + 1}`}
                  disabled={shots.length <= limits.minShots}
                  onClick={() => onChange(shots.filter((_, i) => i !== index))}
                >
                  ✕
                </button>
              </span>
            </div>
            <FieldErrorList errors={errors} path={`multi_prompt.${index}.duration`} />
            <PromptField
              id={`shot-${shot.id}-prompt`}
              path={`multi_prompt.${index}.prompt`}
              label={`Prompt of shot ${index + 1}`}
              value={shot.prompt}
              limits={limits}
              errors={errors}
              rows={2}
              onChange={(prompt) => replace(index, { ...shot, prompt })}
            />
            <FieldErrorList errors={errors} path={`multi_prompt.${index}`} />
          </li>
        ))}
      </ol>
      <button
        type="button"
        class="add-shot"
        disabled={shots.length >= limits.maxShots}
        onClick={() => onChange([...shots, newShot("", limits.defaultShotDuration)])}
      >
        Add shot ({shots.length} of {limits.maxShots})
      </button>
      <div class={over ? "storyboard-total over" : "storyboard-total"} data-storyboard-total>
        <meter
          min={0}
          max={limits.maxStoryboardSeconds}
          value={Math.min(total, limits.maxStoryboardSeconds)}
        />
        <span>
          Total {total} s of {limits.maxStoryboardSeconds} s
        </span>
      </div>
      <FieldErrorList errors={errors} path="multi_prompt" />
    </fieldset>
  );
}
