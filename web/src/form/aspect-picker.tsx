import type { FieldErrors } from "../api/api-error.ts";
import { FieldErrorList } from "./field-errors.tsx";

const PREVIEW_PX = 34;

/** The frame's shape at a small size: its longer side is PREVIEW_PX. */
function previewSize(ratio: string): { width: string; height: string } {
  const [w = 1, h = 1] = ratio.split(":").map(Number);
  const scale = PREVIEW_PX / Math.max(w, h);
  return { width: `${Math.round(w * scale)}px`, height: `${Math.round(h * scale)}px` };
}

interface AspectPickerProps {
  ratios: string[];
  value: string;
  errors: FieldErrors;
  onChange: (ratio: string) => void;
}

export function AspectPicker({ ratios, value, errors, onChange }: AspectPickerProps) {
  return (
    <fieldset class="field aspect-picker" data-field="aspect_ratio">
      <legend>Aspect ratio</legend>
      <div class="aspect-options">
        {ratios.map((ratio) => (
          <label key={ratio} class={ratio === value ? "aspect-option selected" : "aspect-option"}>
            <input
              type="radio"
              name="aspect_ratio"
              value={ratio}
              checked={ratio === value}
              onChange={() => onChange(ratio)}
            />
            <span class="aspect-shape" style={previewSize(ratio)} aria-hidden="true" />
            <span>{ratio}</span>
          </label>
        ))}
      </div>
      <FieldErrorList errors={errors} path="aspect_ratio" />
    </fieldset>
  );
}
