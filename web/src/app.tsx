import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, type FieldErrors } from "./api/api-error.ts";
import type { EndpointInfo, FormLimits } from "./api/contract.ts";
import type { ShotlineClient } from "./api/shotline-client.ts";
import { draftOf, draftProblems, fieldPathsOf, initialDraft, inputOf, type Draft } from "./form/draft.ts";
import { EndpointPicker, EngineNotice } from "./form/endpoint-picker.tsx";
import { VideoForm } from "./form/video-form.tsx";
import { HistoryList } from "./history/history-list.tsx";
import { loadHistory, saveHistoryEntry, type HistoryEntry } from "./history/history-store.ts";
import { KeyPanel } from "./key/key-panel.tsx";
import { forgetKey, keyIdOf, loadKey, saveKey } from "./key/key-store.ts";
import { RunPanel } from "./run/run-panel.tsx";
import { useRun } from "./run/use-run.ts";
import { SnippetPanel } from "./snippets/snippet-panel.tsx";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function App({ client }: { client: ShotlineClient }) {
  const [endpoints, setEndpoints] = useState<EndpointInfo[] | null>(null);
  const [endpointId, setEndpointId] = useState("");
  const [limitsById, setLimitsById] = useState<Record<string, FormLimits>>({});
  const [draft, setDraft] = useState<Draft | null>(null);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [key, setKey] = useState(loadKey);
  const [keyRequest, setKeyRequest] = useState<{ reason: string; resubmit: boolean } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [history, setHistory] = useState(() => loadHistory(keyIdOf(key)));
  const refreshHistory = useCallback(() => setHistory(loadHistory(keyIdOf(loadKey()))), []);
  const { run, follow, show, cancel } = useRun(client, refreshHistory);

  useEffect(() => {
    client
      .endpoints()
      .then((list) => {
        setEndpoints(list);
        setEndpointId((current) => current || (list[0]?.id ?? ""));
      })
      .catch((error: unknown) => setNotice(`Could not read the server's endpoints: ${messageOf(error)}`));
  }, [client]);

  // Every endpoint's limits up front: switching endpoints never waits.
  useEffect(() => {
    for (const { id } of endpoints ?? []) {
      client
        .limits(id)
        .then((limits) => setLimitsById((known) => ({ ...known, [id]: limits })))
        .catch((error: unknown) =>
          setNotice(`Could not read the input schema of ${id}: ${messageOf(error)}`),
        );
    }
  }, [client, endpoints]);

  useEffect(() => {
    const limits = limitsById[endpointId];
    if (limits) setDraft((current) => current ?? initialDraft(limits));
  }, [endpointId, limitsById]);

  // Ask for a key up front when the server wants one (and again when a kept key stops working).
  useEffect(() => {
    client.checkAccess().then(
      () => setKeyRequest(null),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) {
          setKeyRequest((asked) => ({ reason: error.message, resubmit: asked?.resubmit ?? false }));
        }
      },
    );
  }, [client, key]);

  const endpoint = endpoints?.find((e) => e.id === endpointId);
  const limits = limitsById[endpointId];
  if (!endpoints || !endpoint || !limits || !draft) {
    return (
      <main class="loading">
        <h1>Shotline playground</h1>
        <p role="status">{notice ?? "Loading…"}</p>
      </main>
    );
  }

  const problems = draftProblems(draft, limits);
  const errors: FieldErrors = { ...serverErrors };
  for (const [path, messages] of Object.entries(problems))
    errors[path] = [...messages, ...(errors[path] ?? [])];
  const blocked = Object.keys(problems).length > 0;
  const running = run !== null && run.status !== "COMPLETED" && run.error === undefined;

  const edit = (next: Draft) => {
    setDraft(next);
    setServerErrors({});
  };

  const submit = async () => {
    setNotice(null);
    setServerErrors({});
    setSubmitting(true);
    const input = inputOf(draft);
    try {
      const receipt = await client.submit(endpoint.id, input);
      const entry: HistoryEntry = {
        requestId: receipt.request_id,
        endpointId: endpoint.id,
        keyId: keyIdOf(loadKey()),
        input,
        submittedAt: new Date().toISOString(),
        statusUrl: receipt.status_url,
        responseUrl: receipt.response_url,
        cancelUrl: receipt.cancel_url,
        outcome: "pending",
      };
      saveHistoryEntry(entry);
      refreshHistory();
      void follow(entry);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setKeyRequest({ reason: error.message, resubmit: true });
      } else if (error instanceof ApiError && error.status === 422) {
        const byField = error.fieldErrors();
        const shown = new Set(fieldPathsOf(draft));
        const elsewhere = Object.entries(byField).filter(([path]) => !shown.has(path));
        setServerErrors(byField);
        if (elsewhere.length > 0) {
          setNotice(
            elsewhere.map(([path, messages]) => `${path || "body"}: ${messages.join("; ")}`).join("\n"),
          );
        }
      } else {
        setNotice(messageOf(error));
      }
    } finally {
      setSubmitting(false);
    }
  };

  const saveAndRetry = (newKey: string) => {
    saveKey(newKey);
    setKey(newKey);
    refreshHistory();
    const resubmit = keyRequest?.resubmit ?? false;
    setKeyRequest(null);
    if (resubmit) void submit();
  };

  const open = (entry: HistoryEntry) => {
    const entryLimits = limitsById[entry.endpointId];
    if (entryLimits) {
      setEndpointId(entry.endpointId);
      edit(draftOf(entry.input, entryLimits));
    }
    if (entry.outcome === "pending") void follow(entry);
    else show(entry);
  };

  return (
    <>
      <header class="top">
        <h1>Shotline playground</h1>
        {key && (
          <p class="key-status">
            Key <code>{keyIdOf(key)?.slice(0, 8)}…</code>{" "}
            <button
              type="button"
              class="link"
              onClick={() => {
                forgetKey();
                setKey(null);
                refreshHistory();
              }}
            >
              Forget key
            </button>
          </p>
        )}
      </header>
      {keyRequest && <KeyPanel reason={keyRequest.reason} onSave={saveAndRetry} />}
      <main class="layout">
        <section class="compose">
          <EndpointPicker endpoints={endpoints} value={endpointId} onChange={setEndpointId} />
          <EngineNotice endpoint={endpoint} />
          {notice && (
            <p class="notice" role="alert" data-notice>
              {notice}
            </p>
          )}
          <VideoForm
            draft={draft}
            limits={limits}
            endpoint={endpoint}
            errors={errors}
            blocked={blocked}
            busy={submitting || running}
            onChange={edit}
            onSubmit={() => void submit()}
          />
        </section>
        <section class="output">
          {run ? (
            <RunPanel run={run} onCancel={() => void cancel()} />
          ) : (
            <p class="hint">The video appears here.</p>
          )}
          <SnippetPanel
            context={{
              origin: location.origin,
              endpointId: endpoint.id,
              input: inputOf(draft),
              withKey: key !== null || keyRequest !== null,
            }}
          />
        </section>
      </main>
      <section class="history-section">
        <h2>History</h2>
        <HistoryList entries={history} onOpen={open} />
      </section>
    </>
  );
}
