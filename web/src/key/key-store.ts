const STORAGE_KEY = "shotline.apiKey";

/** The API key this browser keeps (`key_id:secret`), as the server asked for it. */
export function loadKey(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

export function saveKey(key: string): void {
  localStorage.setItem(STORAGE_KEY, key.trim());
}

export function forgetKey(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** The public half of a key: what history entries are filed under. */
export function keyIdOf(key: string | null): string | null {
  return key ? (key.split(":")[0] ?? null) : null;
}
