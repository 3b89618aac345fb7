import type { VideoRequestInput } from "../api/contract.ts";

export interface SnippetContext {
  /** The origin the page was served from, e.g. `http://127.0.0.1:8000`. */
  origin: string;
  endpointId: string;
  input: VideoRequestInput;
  /** The server asked for a key: the snippets send `$FAL_KEY`. */
  withKey: boolean;
}

export type SnippetLanguage = "curl" | "javascript" | "python";

export const SNIPPET_LABELS: Record<SnippetLanguage, string> = {
  curl: "curl",
  javascript: "JavaScript (@fal-ai/client)",
  python: "Python (fal_client)",
};

/** Code that makes the current request against this origin, as a caller would write it. */
export function snippet(language: SnippetLanguage, context: SnippetContext): string {
  if (language === "curl") return curlSnippet(context);
  if (language === "javascript") return javascriptSnippet(context);
  return pythonSnippet(context);
}

/** Single-quoted for a POSIX shell: `'` becomes `'\''`. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function curlSnippet({ origin, endpointId, input, withKey }: SnippetContext): string {
  return [
    `curl -X POST ${shellQuote(`${origin}/run/${endpointId}`)}`,
    `  -H 'Content-Type: application/json'`,
    ...(withKey ? [`  -H "Authorization: Key $FAL_KEY"`] : []),
    `  -d ${shellQuote(JSON.stringify(input))}`,
  ].join(" \\\n");
}

function javascriptSnippet({ origin, endpointId, input, withKey }: SnippetContext): string {
  const credentials = withKey
    ? "  credentials: process.env.FAL_KEY, // a Shotline key: key_id:secret"
    : "  credentials: undefined, // this server needs no key";
  return `import { createFalClient } from "@fal-ai/client";

const fal = createFalClient({
${credentials}
  proxyUrl: { url: ${JSON.stringify(`${origin}/fal/proxy`)}, when: "always" },
});

const result = await fal.subscribe(${JSON.stringify(endpointId)}, {
  input: ${indent(JSON.stringify(input, null, 2), "  ")},
  logs: true,
  onQueueUpdate: (update) => {
    if (update.status === "IN_PROGRESS") update.logs.forEach((log) => console.log(log.message));
  },
});
console.log(result.data.video.url);
`;
}

function pythonSnippet({ origin, endpointId, input }: SnippetContext): string {
  const url = new URL(origin);
  // fal_client builds only its submit URL itself (https, from FAL_QUEUE_RUN_HOST); it then
  // follows the URLs the server returns.
  const target =
    url.protocol === "https:"
      ? `import os

# fal_client reads the host it submits to when it is imported.
os.environ["FAL_QUEUE_RUN_HOST"] = ${pythonString(`${url.host}/queue`)}

import fal_client  # noqa: E402
`
      : `import fal_client
import fal_client.client

# fal_client speaks https only to the host it submits to; this origin is plain http.
fal_client.client.QUEUE_URL_FORMAT = ${pythonString(`${origin}/queue/`)}
`;
  return `${target}
# fal_client always sends a key: export FAL_KEY=key_id:secret (npx shotline keys create --name NAME)


def on_queue_update(update):
    if isinstance(update, fal_client.InProgress):
        for log in update.logs:
            print(log["message"])


result = fal_client.subscribe(
    ${pythonString(endpointId)},
    arguments=${indent(pythonLiteral(input), "    ")},
    with_logs=True,
    on_queue_update=on_queue_update,
)
print(result["video"]["url"])
`;
}

const indent = (text: string, prefix: string) => text.replaceAll("\n", `\n${prefix}`);

/** JSON strings are valid Python string literals. */
const pythonString = (text: string) => JSON.stringify(text);

/** A JSON value as a Python literal (the input holds strings, numbers, lists and objects). */
function pythonLiteral(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(
    /("(?:[^"\\]|\\.)*")|\b(true|false|null)\b/g,
    (match, quoted: string | undefined, word: string | undefined) =>
      quoted ?? { true: "True", false: "False", null: "None" }[word as "true" | "false" | "null"],
  );
}
