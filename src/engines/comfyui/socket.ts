import WebSocket from "ws";

/** What ComfyUI's websocket says about one prompt. */
export type PromptEvent =
  | { type: "started" }
  | { type: "executing"; node: string }
  | { type: "progress"; node: string | undefined; value: number; max: number }
  /** `execution_success`, or the legacy `executing` with `node: null`. */
  | { type: "finished" }
  | { type: "failed"; message: string }
  | { type: "interrupted" };

/** The socket itself came up or went down: a watcher polls meanwhile, and right after it returns. */
export type ConnectionEvent = { type: "connected" } | { type: "disconnected" };

export type SocketListener = (event: PromptEvent | ConnectionEvent) => void;

export interface ComfySocketOptions {
  /** HTTP origin of ComfyUI; the socket is `ws(s)://…/ws?clientId=…`. */
  url: string;
  clientId: string;
  /** Waits between reconnection attempts; the last repeats. Default 0.25, 0.5, 1, 2, 5 s. */
  reconnectDelaysMs?: number[];
  /** The socket closes after this long without watchers. Default 60 s. */
  idleCloseMs?: number;
  /** A connection that has not answered a ping within this long is dropped. Default 20 s. */
  pingIntervalMs?: number;
}

/** Recent prompt events kept for watchers that arrive late (a prompt may start before `/prompt` answers). */
const REPLAY_EVENTS = 256;

export interface ComfySocket {
  readonly clientId: string;
  readonly connected: boolean;
  /**
   * Connects (if not yet) and resolves once connected — `false` if that failed or took longer
   * than `timeoutMs`. Call it before submitting: ComfyUI only sends a prompt's events to a client
   * whose socket is open.
   */
  open(timeoutMs?: number): Promise<boolean>;
  /**
   * Listens to one prompt's events, starting with the recent ones it missed. The socket opens with the first watcher, reconnects while any
   * remain, and is shared by all of them (ComfyUI sends a client's events to its one socket, so a
   * socket per poll would lose them).
   */
  watch(promptId: string, listener: SocketListener): () => void;
  close(): void;
}

/**
 * One long-lived websocket per client id. Binary frames (previews) are ignored, and so is any
 * text frame that is not a JSON message for a watched prompt.
 */
export function createComfySocket(options: ComfySocketOptions): ComfySocket {
  const target = new URL(options.url);
  target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
  target.pathname = `${target.pathname.replace(/\/+$/, "")}/ws`;
  target.search = new URLSearchParams({ clientId: options.clientId }).toString();
  const delays = options.reconnectDelaysMs ?? [250, 500, 1000, 2000, 5000];
  const idleCloseMs = options.idleCloseMs ?? 60_000;
  const pingIntervalMs = options.pingIntervalMs ?? 20_000;

  const watchers = new Map<string, Set<SocketListener>>();
  const recent: Array<{ promptId: string; event: PromptEvent }> = [];
  const openWaiters = new Set<(connected: boolean) => void>();
  let socket: WebSocket | undefined;
  let connected = false;
  let closed = false;
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;

  const everyone = (event: ConnectionEvent) => {
    for (const listeners of watchers.values()) for (const listener of listeners) listener(event);
  };

  const connect = () => {
    if (socket || closed) return;
    const ws = new WebSocket(target, { handshakeTimeout: 10_000 });
    socket = ws;
    let alive = true;
    const ping = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, pingIntervalMs);
    ping.unref();
    ws.on("pong", () => (alive = true));
    ws.on("open", () => {
      connected = true;
      attempt = 0;
      settleOpen(true);
      everyone({ type: "connected" });
    });
    ws.on("message", (data, isBinary) => {
      if (!isBinary) dispatch(data.toString());
    });
    // A "close" always follows an "error"; reconnecting is handled there.
    ws.on("error", () => undefined);
    ws.on("close", () => {
      clearInterval(ping);
      socket = undefined;
      const was = connected;
      connected = false;
      settleOpen(false);
      if (was) everyone({ type: "disconnected" });
      scheduleReconnect();
    });
  };

  const settleOpen = (outcome: boolean) => {
    for (const waiter of openWaiters) waiter(outcome);
    openWaiters.clear();
  };

  const closeWhenIdle = () => {
    clearTimeout(idleTimer);
    if (watchers.size > 0 || closed) return;
    idleTimer = setTimeout(() => socket?.close(), idleCloseMs);
    idleTimer.unref();
  };

  const scheduleReconnect = () => {
    if (closed || watchers.size === 0 || reconnectTimer) return;
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
    attempt++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delay);
  };

  const dispatch = (text: string) => {
    let message: { type?: unknown; data?: Record<string, unknown> };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const data = message.data ?? {};
    const promptId = data["prompt_id"];
    if (typeof promptId !== "string") return;
    const event = toPromptEvent(String(message.type), data);
    if (!event) return;
    recent.push({ promptId, event });
    if (recent.length > REPLAY_EVENTS) recent.shift();
    for (const listener of watchers.get(promptId) ?? []) listener(event);
  };

  return {
    clientId: options.clientId,
    get connected() {
      return connected;
    },
    open(timeoutMs = 3000) {
      if (connected) return Promise.resolve(true);
      if (closed) return Promise.resolve(false);
      connect();
      closeWhenIdle();
      return new Promise((resolve) => {
        const done = (outcome: boolean) => {
          clearTimeout(timer);
          openWaiters.delete(done);
          resolve(outcome);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        openWaiters.add(done);
      });
    },
    watch(promptId, listener) {
      clearTimeout(idleTimer);
      const listeners = watchers.get(promptId) ?? new Set();
      listeners.add(listener);
      watchers.set(promptId, listeners);
      connect();
      for (const missed of recent) if (missed.promptId === promptId) listener(missed.event);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) watchers.delete(promptId);
        closeWhenIdle();
      };
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      clearTimeout(idleTimer);
      settleOpen(false);
      socket?.terminate();
    },
  };
}

function toPromptEvent(type: string, data: Record<string, unknown>): PromptEvent | undefined {
  switch (type) {
    case "execution_start":
      return { type: "started" };
    case "executing":
      return data["node"] === null || data["node"] === undefined
        ? { type: "finished" }
        : { type: "executing", node: String(data["node"]) };
    case "progress": {
      const value = Number(data["value"]);
      const max = Number(data["max"]);
      if (!Number.isFinite(value) || !(max > 0)) return undefined;
      return {
        type: "progress",
        node: data["node"] === undefined ? undefined : String(data["node"]),
        value,
        max,
      };
    }
    case "execution_success":
      return { type: "finished" };
    case "execution_error":
      return { type: "failed", message: String(data["exception_message"] ?? "execution error").trim() };
    case "execution_interrupted":
      return { type: "interrupted" };
    default:
      return undefined;
  }
}
