import { useState } from "preact/hooks";

interface KeyPanelProps {
  /** Why a key is asked for: the server's 401 message. */
  reason: string;
  onSave: (key: string) => void;
}

/** Asks for the API key the server wants; it is then kept in this browser. */
export function KeyPanel({ reason, onSave }: KeyPanelProps) {
  const [key, setKey] = useState("");
  return (
    <form
      class="key-panel"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim()) onSave(key.trim());
      }}
    >
      <h2>This server needs an API key</h2>
      <p class="hint" data-key-reason>
        {reason}
      </p>
      <label for="api-key">
        API key (<code>key_id:secret</code>, from <code>npx shotline keys create --name NAME</code>)
      </label>
      <div class="key-row">
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <button type="submit" class="primary">
          Save key
        </button>
      </div>
      <p class="hint">
        Kept in this browser's local storage and sent as <code>Authorization: Key …</code>.
      </p>
    </form>
  );
}
