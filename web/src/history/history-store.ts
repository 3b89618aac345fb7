import type { VideoFile, VideoRequestInput } from "../api/contract.ts";

/** A request this browser submitted, kept in localStorage. */
export interface HistoryEntry {
  requestId: string;
  endpointId: string;
  /** The key it was submitted with (`null`: none), so each key sees its own requests. */
  keyId: string | null;
  input: VideoRequestInput;
  submittedAt: string;
  statusUrl: string;
  responseUrl: string;
  cancelUrl: string;
  outcome: "pending" | "done" | "failed";
  error?: string;
  /** fal's `error_type`, e.g. `cancelled`. */
  errorType?: string;
  video?: VideoFile;
  costUsd?: number;
}

const STORAGE_KEY = "shotline.history";
/** Older entries are dropped: their files expire on the server anyway. */
const MAX_ENTRIES = 50;

function readAll(): HistoryEntry[] {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]") as unknown;
    return Array.isArray(stored) ? (stored as HistoryEntry[]) : [];
  } catch {
    return [];
  }
}

/** The requests of one key (or of no key), newest first. */
export function loadHistory(keyId: string | null): HistoryEntry[] {
  return readAll().filter((entry) => entry.keyId === keyId);
}

/** Adds an entry or replaces the one with its request id, newest first. */
export function saveHistoryEntry(entry: HistoryEntry): void {
  const others = readAll().filter((stored) => stored.requestId !== entry.requestId);
  const entries = [entry, ...others].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  localStorage.setItem(STORAGE_KEY, JSON.stringify(entries.slice(0, MAX_ENTRIES)));
}
