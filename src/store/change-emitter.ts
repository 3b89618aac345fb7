/**
 * The in-process side of `RequestStore.onChange`, shared by every adapter: listeners hear the id of
 * each request this store instance wrote, after the write committed.
 */
export interface ChangeEmitter {
  on(listener: (id: string) => void): () => void;
  emit(id: string): void;
}

export function createChangeEmitter(): ChangeEmitter {
  const listeners = new Set<(id: string) => void>();
  return {
    on(listener) {
      // Wrapped so that the same function subscribed twice gets two independent subscriptions.
      const entry = (id: string): void => listener(id);
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    emit(id) {
      for (const listener of listeners) {
        try {
          listener(id);
        } catch (error) {
          // The write has committed; a faulty listener must not turn it into a failed call.
          process.emitWarning(`RequestStore change listener threw: ${String(error)}`);
        }
      }
    },
  };
}
