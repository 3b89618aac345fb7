import type { FieldErrors } from "../api/api-error.ts";

/** The messages about one field, shown beside it (`data-field-errors` names the field's path). */
export function FieldErrorList({ errors, path }: { errors: FieldErrors; path: string }) {
  const messages = errors[path];
  if (!messages?.length) return null;
  return (
    <ul class="field-errors" data-field-errors={path} role="alert">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
