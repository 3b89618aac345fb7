import { useState } from "preact/hooks";
import { SNIPPET_LABELS, snippet, type SnippetContext, type SnippetLanguage } from "./snippets.ts";

const LANGUAGES = Object.keys(SNIPPET_LABELS) as SnippetLanguage[];

/** "Copy as …" for the current input: shows the code and puts it on the clipboard. */
export function SnippetPanel({ context }: { context: SnippetContext }) {
  const [language, setLanguage] = useState<SnippetLanguage>("curl");
  const [copied, setCopied] = useState<SnippetLanguage | null>(null);
  const code = snippet(language, context);

  const copy = async (chosen: SnippetLanguage) => {
    setLanguage(chosen);
    setCopied(null);
    try {
      await navigator.clipboard.writeText(snippet(chosen, context));
      setCopied(chosen);
    } catch {
      // No clipboard (an insecure origin, a denied permission): the code is shown to select by hand.
    }
  };

  return (
    <section class="snippets">
      <h2>Use it from code</h2>
      <div class="snippet-buttons">
        {LANGUAGES.map((choice) => (
          <button
            key={choice}
            type="button"
            class={choice === language ? "selected" : ""}
            data-copy={choice}
            onClick={() => void copy(choice)}
          >
            {copied === choice ? "Copied ✓" : `Copy as ${SNIPPET_LABELS[choice]}`}
          </button>
        ))}
      </div>
      <pre class="snippet" data-snippet={language}>
        <code>{code}</code>
      </pre>
    </section>
  );
}
