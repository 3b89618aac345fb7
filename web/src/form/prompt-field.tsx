import type { FieldErrors } from "../api/api-error.ts";
import type { FormLimits } from "../api/contract.ts";
import { FieldErrorList } from "./field-errors.tsx";

interface PromptFieldProps {
  id: string;
  /** The field's path in the request body, e.g. `prompt` or `multi_prompt.1.prompt`. */
  path: string;
  label: string;
  value: string;
  limits: FormLimits;
  errors: FieldErrors;
  rows?: number;
  onChange: (value: string) => void;
}

/** A prompt with its character counter: advice past the advised length, an error past the limit. */
export function PromptField({
  id,
  path,
  label,
  value,
  limits,
  errors,
  rows = 4,
  onChange,
}: PromptFieldProps) {
  const length = value.length;
  const level =
    length > limits.promptMaxChars ? "over" : length > limits.promptAdvisedChars ? "advice" : "ok";
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        data-field={path}
        rows={rows}
        value={value}
        aria-invalid={Boolean(errors[path]?.length)}
        placeholder="A neon city street at night, rain, a woman walks, the camera pushes in"
        onInput={(event) => onChange(event.currentTarget.value)}
      />
      <div class={`counter counter-${level}`} data-counter={path}>
        {length} / {limits.promptMaxChars}
        {level === "advice" && ` · best under ${limits.promptAdvisedChars} characters`}
      </div>
      <FieldErrorList errors={errors} path={path} />
    </div>
  );
}
