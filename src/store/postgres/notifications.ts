import pg from "pg";

export interface RemoteChangesOptions {
  client: pg.ClientConfig;
  /** `shotline:<schema>`, the channel the triggers notify (see migrations.ts). */
  channel: string;
  /** This instance's application_name: notifications of its own writes are skipped. */
  ownName: string;
  /** Told the id of each request another instance changed. */
  onChange(id: string): void;
}

export interface RemoteChanges {
  /** Connects and LISTENs (again after any loss of the connection) until `close`. */
  start(): void;
  close(): Promise<void>;
}

/**
 * The LISTEN side of the change notifications, on a connection of its own (a pooled one would be
 * handed to other queries). When the connection drops (a server restart) it reconnects with
 * backoff; notifications sent meanwhile are lost, which is why readers also poll.
 */
export function listenForChanges({
  client: settings,
  channel,
  ownName,
  onChange,
}: RemoteChangesOptions): RemoteChanges {
  let closed = false;
  let started = false;
  let current: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let delayMs = 100;

  const onNotification = (message: pg.Notification) => {
    const payload = message.payload ?? "";
    const space = payload.lastIndexOf(" ");
    if (space < 0 || payload.slice(0, space) === ownName) return;
    onChange(payload.slice(space + 1));
  };

  function reconnectLater(client: pg.Client) {
    if (current !== client) return; // already replaced
    current = undefined;
    client.removeAllListeners("notification");
    void client.end().catch(() => undefined);
    if (closed) return;
    retryTimer = setTimeout(connect, delayMs);
    retryTimer.unref();
    delayMs = Math.min(2000, delayMs * 2);
  }

  function connect() {
    if (closed) return;
    const client = new pg.Client(settings);
    current = client;
    client.on("error", () => reconnectLater(client));
    client.on("end", () => reconnectLater(client));
    client.on("notification", onNotification);
    client
      .connect()
      .then(() => client.query(`LISTEN ${client.escapeIdentifier(channel)}`))
      .then(() => {
        delayMs = 100;
      })
      .catch(() => reconnectLater(client));
  }

  return {
    start() {
      if (started || closed) return;
      started = true;
      connect();
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const client = current;
      current = undefined;
      if (client) await client.end().catch(() => undefined);
    },
  };
}
