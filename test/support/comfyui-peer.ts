import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * A local stand-in for a ComfyUI server, speaking its HTTP + websocket protocol with its quirks, so
 * the `comfyui` engine can be tested without a GPU. It is not ComfyUI: it "generates" a video by
 * running ffmpeg's test sources (testsrc2, smptehdbars, mandelbrot…) at the size, frame count and
 * frame rate it reads from the submitted graph — so placeholders that were not filled, or filled
 * with the wrong values, show up in its output.
 *
 * Quirks kept: every route also under `/api/`; `POST /prompt` answers `{prompt_id, number,
 * node_errors}`, 400 for an invalid graph, and (in one mode) 200 with non-empty `node_errors`;
 * `/history/{id}` is `{}` until the prompt is done and for unknown ids; history is written a moment
 * after `execution_success` is sent; `/queue` items are `[number, id, prompt, extra, outputs]`;
 * `/queue` delete and `/interrupt` answer 200 with an empty body; `/interrupt` without a prompt id
 * (or on an old build) stops whatever runs; the socket carries binary preview frames; outputs are
 * listed under `images` (core SaveVideo), `gifs` (VideoHelperSuite) or `videos`, beside a `temp`
 * preview and a PNG.
 */

export type OutputKey = "images" | "gifs" | "videos";
type Node = { class_type?: unknown; inputs?: Record<string, unknown> };
type Graph = Record<string, Node>;

export interface ComfyPeerOptions {
  ffmpegPath: string;
  /** List outputs under this key; default by node: SaveVideo → `images`, VHS_VideoCombine → `gifs`. */
  outputKey?: OutputKey;
  /** Answer `POST /prompt` with 200 and non-empty `node_errors` (and queue the prompt anyway). */
  partialNodeErrors?: boolean;
  /** Fail each prompt at its sampler with this `exception_message`. */
  executionError?: string;
  /** Sampler steps (each sends `progress` and a binary preview). Default 4. */
  steps?: number;
  /** Delay of each sampler step, ms. Default 0. */
  stepDelayMs?: number;
  /** Queued prompts wait until `resume()`. */
  paused?: boolean;
  /** `/interrupt` ignores a `prompt_id` (builds before it was accepted): it stops whatever runs. */
  legacyInterrupt?: boolean;
  /** Refuse websocket upgrades: clients have to poll. */
  refuseSockets?: boolean;
  /** x264 preset of the "generated" videos. Default `ultrafast`. */
  x264Preset?: string;
}

export interface PeerPrompt {
  id: string;
  number: number;
  clientId: string | undefined;
  graph: Graph;
  status: "pending" | "running" | "success" | "error" | "interrupted" | "deleted" | "forgotten";
  /** What was generated, read from the graph. */
  native?: { width: number; height: number; fps: number; frames: number; pattern: string };
  /** From `execution_start` to `execution_success`: the peer's own generation time. */
  generationMs?: number;
  /** `GET /history/{id}` calls for this prompt. */
  historyPolls: number;
}

export interface ComfyPeer {
  url: string;
  /** Change between requests to switch modes. */
  options: ComfyPeerOptions;
  prompts: Map<string, PeerPrompt>;
  /** Every `POST /interrupt`: the prompt id it named and the prompt running at the time. */
  interrupts: Array<{ promptId: string | undefined; running: string | undefined }>;
  /** Prompt ids removed with `POST /queue {delete}`. */
  deletes: string[];
  /** Paths of every HTTP request, as sent (with or without `/api`). */
  requests: string[];
  /** Websocket connections accepted so far. */
  readonly socketConnections: number;
  /** Submits a prompt over HTTP as another client would. */
  submitForeign(graph: Graph): Promise<string>;
  resume(): void;
  /** Closes every websocket, as a network drop would. */
  dropSockets(): void;
  /** Forgets a prompt (queue and history), as a restarted ComfyUI would. */
  forget(promptId: string): void;
  waitFor<T>(probe: () => T | undefined, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const SAMPLERS = new Set(["KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced"]);
const OUTPUTS = new Set(["SaveVideo", "VHS_VideoCombine", "SaveWEBM", "SaveImage", "SaveAnimatedWEBP"]);
/** The node classes this peer has "installed": anything else is rejected as ComfyUI does. */
const KNOWN = new Set([
  ...SAMPLERS,
  ...OUTPUTS,
  ...[
    "UNETLoader",
    "CLIPLoader",
    "VAELoader",
    "CheckpointLoaderSimple",
    "ModelSamplingSD3",
    "CLIPTextEncode",
  ],
  ...[
    "Wan22ImageToVideoLatent",
    "EmptyLTXVLatentVideo",
    "LTXVConditioning",
    "LTXVScheduler",
    "KSamplerSelect",
  ],
  ...["RandomNoise", "CFGGuider", "VAEDecode", "CreateVideo", "EmptyLatentImage"],
]);
const INT_INPUTS = new Set(["width", "height", "length", "batch_size", "seed", "noise_seed", "steps"]);
const FLOAT_INPUTS = new Set(["fps", "frame_rate", "cfg", "shift", "denoise"]);
const PATTERNS = ["testsrc2", "smptehdbars", "mandelbrot", "rgbtestsrc", "testsrc"];

export async function startComfyPeer(options: ComfyPeerOptions): Promise<ComfyPeer> {
  const root = await mkdtemp(path.join(os.tmpdir(), "comfyui-peer-"));
  const prompts = new Map<string, PeerPrompt>();
  const history = new Map<string, Record<string, unknown>>();
  const pending: string[] = [];
  const interrupts: ComfyPeer["interrupts"] = [];
  const deletes: string[] = [];
  const requests: string[] = [];
  const sockets = new Map<WebSocket, string>();
  let running:
    { id: string; interrupted: boolean; child?: ChildProcess | undefined; wake?: () => void } | undefined;
  let counter = 0;
  let fileCounter = 0;
  let socketConnections = 0;
  let closed = false;

  const send = (clientId: string | undefined, type: string, data: Record<string, unknown>) => {
    const text = JSON.stringify({ type, data });
    for (const [ws, id] of sockets) if (clientId === undefined || id === clientId) ws.send(text);
  };
  const sendStatus = () =>
    send(undefined, "status", {
      status: { exec_info: { queue_remaining: pending.length + (running ? 1 : 0) } },
    });
  const queueItem = (prompt: PeerPrompt) => [
    prompt.number,
    prompt.id,
    prompt.graph,
    { client_id: prompt.clientId },
    Object.keys(prompt.graph).filter((id) => OUTPUTS.has(String(prompt.graph[id]?.class_type))),
  ];

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://peer");
    requests.push(url.pathname);
    const route = url.pathname.startsWith("/api/") ? url.pathname.slice(4) : url.pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const empty = () => {
      res.writeHead(200);
      res.end();
    };
    const body = req.method === "POST" ? await readBody(req) : "";

    if (req.method === "POST" && route === "/prompt") return json(...submit(body));
    if (req.method === "GET" && route === "/queue") {
      const current = running && prompts.get(running.id);
      return json(200, {
        queue_running: current ? [queueItem(current)] : [],
        queue_pending: pending.map((id) => queueItem(prompts.get(id)!)),
      });
    }
    if (req.method === "POST" && route === "/queue") {
      const request = parse(body) as { delete?: string[]; clear?: boolean };
      const remove = request.clear ? [...pending] : (request.delete ?? []);
      for (const id of remove) {
        const index = pending.indexOf(id);
        if (index === -1) continue;
        pending.splice(index, 1);
        deletes.push(id);
        prompts.get(id)!.status = "deleted";
      }
      sendStatus();
      return empty();
    }
    if (req.method === "POST" && route === "/interrupt") {
      const requested = (parse(body) as { prompt_id?: string }).prompt_id;
      interrupts.push({ promptId: requested, running: running?.id });
      if (running && (options.legacyInterrupt || requested === undefined || requested === running.id)) {
        running.interrupted = true;
        running.child?.kill("SIGKILL");
        running.wake?.();
      }
      return empty();
    }
    const historyMatch = /^\/history\/([^/]+)$/.exec(route);
    if (req.method === "GET" && historyMatch) {
      const id = decodeURIComponent(historyMatch[1]!);
      const prompt = prompts.get(id);
      if (prompt) prompt.historyPolls++;
      const entry = history.get(id);
      return json(200, entry ? { [id]: entry } : {});
    }
    if (req.method === "GET" && route === "/history") return json(200, Object.fromEntries(history));
    if (req.method === "GET" && route === "/view") {
      const filename = url.searchParams.get("filename") ?? "";
      const subfolder = url.searchParams.get("subfolder") ?? "";
      const type = url.searchParams.get("type") ?? "output";
      if ([filename, subfolder].some((part) => part.includes("..") || path.isAbsolute(part))) {
        return json(403, {});
      }
      const file = path.join(root, type, subfolder, filename);
      const facts = await stat(file).catch(() => undefined);
      if (!facts?.isFile()) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { "content-type": "video/mp4", "content-length": facts.size });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404: Not Found");
  }

  function submit(text: string): [number, unknown] {
    const request = parse(text) as { prompt?: unknown; client_id?: string; prompt_id?: string };
    const graph = request.prompt;
    if (typeof graph !== "object" || graph === null || Array.isArray(graph)) {
      const error = {
        type: "no_prompt",
        message: "No prompt provided",
        details: "No prompt provided",
        extra_info: {},
      };
      return [400, { error, node_errors: [] }];
    }
    const nodes = graph as Graph;
    for (const [id, node] of Object.entries(nodes)) {
      if (typeof node?.class_type !== "string") {
        const message = "Cannot execute because a node is missing the class_type property.";
        return [400, { error: invalidPrompt(message, id), node_errors: [] }];
      }
      if (!KNOWN.has(node.class_type)) {
        const message = `Cannot execute because node ${node.class_type} does not exist.`;
        return [400, { error: invalidPrompt(message, id), node_errors: [] }];
      }
    }
    const outputs = Object.keys(nodes).filter((id) => OUTPUTS.has(String(nodes[id]?.class_type)));
    if (outputs.length === 0) {
      const error = {
        type: "prompt_no_outputs",
        message: "Prompt has no outputs",
        details: "",
        extra_info: {},
      };
      return [400, { error, node_errors: [] }];
    }
    const nodeErrors = validateInputs(nodes, outputs);
    if (Object.keys(nodeErrors).length > 0) {
      const error = {
        type: "prompt_outputs_failed_validation",
        message: "Prompt outputs failed validation",
        details: "",
        extra_info: {},
      };
      return [400, { error, node_errors: nodeErrors }];
    }
    const id = request.prompt_id ?? randomUUID();
    const number = counter++;
    prompts.set(id, {
      id,
      number,
      clientId: request.client_id,
      graph: nodes,
      status: "pending",
      historyPolls: 0,
    });
    pending.push(id);
    sendStatus();
    queueMicrotask(pump);
    const partial = options.partialNodeErrors
      ? {
          "999": {
            errors: [
              {
                type: "value_not_in_list",
                message: "Value not in list",
                details: "ckpt_name: 'missing_model.safetensors' not in []",
                extra_info: { input_name: "ckpt_name" },
              },
            ],
            dependent_outputs: ["999"],
            class_type: "SaveImage",
          },
        }
      : {};
    return [200, { prompt_id: id, number, node_errors: partial }];
  }

  function pump() {
    if (closed || running || options.paused || pending.length === 0) return;
    const id = pending.shift()!;
    running = { id, interrupted: false };
    void execute(prompts.get(id)!).finally(() => {
      running = undefined;
      sendStatus();
      pump();
    });
  }

  async function execute(prompt: PeerPrompt) {
    const run = running!;
    prompt.status = "running";
    sendStatus();
    const { id, clientId, graph } = prompt;
    const messages: Array<[string, Record<string, unknown>]> = [];
    const emit = (type: string, data: Record<string, unknown>) => {
      const full = { ...data, prompt_id: id, timestamp: Date.now() };
      if (type.startsWith("execution_")) messages.push([type, full]);
      send(clientId, type, full);
    };
    const started = performance.now();
    emit("execution_start", {});
    emit("execution_cached", { nodes: [] });
    const outputs: Record<string, unknown> = {};
    const executed: string[] = [];
    let failure: { node: string; type: string; message: string } | undefined;
    for (const node of executionOrder(graph)) {
      if (run.interrupted) break;
      const classType = String(graph[node]?.class_type);
      emit("executing", { node, display_node: node });
      if (SAMPLERS.has(classType)) {
        const steps = options.steps ?? 4;
        for (let step = 1; step <= steps && !run.interrupted; step++) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.stepDelayMs ?? 0);
            run.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          if (run.interrupted) break;
          emit("progress", { value: step, max: steps, node });
          for (const [ws, socketClient] of sockets) if (socketClient === clientId) ws.send(previewFrame());
        }
        if (options.executionError && !run.interrupted) {
          failure = { node, type: classType, message: options.executionError };
          break;
        }
      }
      if (OUTPUTS.has(classType) && !run.interrupted) {
        try {
          outputs[node] = await render(prompt, node, run);
        } catch (error) {
          if (run.interrupted) break;
          failure = { node, type: classType, message: String(error) };
          break;
        }
        emit("executed", { node, display_node: node, output: outputs[node] });
      }
      executed.push(node);
    }
    const status = (status_str: string, completed: boolean) => ({ status_str, completed, messages });
    if (run.interrupted) {
      emit("execution_interrupted", { node_id: executed.at(-1) ?? null, node_type: null, executed });
      history.set(id, { prompt: queueItem(prompt), outputs, status: status("error", false), meta: {} });
      prompt.status = "interrupted";
    } else if (failure) {
      emit("execution_error", {
        node_id: failure.node,
        node_type: failure.type,
        executed,
        exception_message: failure.message,
        exception_type: "RuntimeError",
        traceback: [],
        current_inputs: {},
        current_outputs: {},
      });
      history.set(id, { prompt: queueItem(prompt), outputs, status: status("error", false), meta: {} });
      prompt.status = "error";
    } else {
      prompt.generationMs = performance.now() - started;
      emit("execution_success", {});
      // As in ComfyUI, history is written after the executor returns: a client told "success"
      // may still find the prompt running for a moment.
      await new Promise((resolve) => setTimeout(resolve, 30));
      history.set(id, { prompt: queueItem(prompt), outputs, status: status("success", true), meta: {} });
      prompt.status = "success";
    }
    send(clientId, "executing", { node: null, prompt_id: id });
  }

  /** "Generates" the prompt's video at the size, length and rate its graph asks for. */
  async function render(prompt: PeerPrompt, node: string, run: NonNullable<typeof running>) {
    const { graph } = prompt;
    // Validation let numbers and numeric strings through, as ComfyUI's int()/float() do.
    const latent = Object.values(graph).find((candidate) =>
      ["width", "height", "length"].every((key) => numeric(candidate.inputs?.[key]) !== undefined),
    );
    const width = numeric(latent?.inputs?.["width"]) ?? 640;
    const height = numeric(latent?.inputs?.["height"]) ?? 360;
    const length = numeric(latent?.inputs?.["length"]) ?? 25;
    // The VAEs decode 1 + 4k (Wan) or 1 + 8k (LTX-Video) frames, whatever length was asked.
    const step =
      latent?.class_type === "Wan22ImageToVideoLatent"
        ? 4
        : latent?.class_type === "EmptyLTXVLatentVideo"
          ? 8
          : 1;
    const frames = 1 + step * Math.floor((length - 1) / step);
    const fps =
      Object.values(graph)
        .map((candidate) => numeric(candidate.inputs?.["fps"] ?? candidate.inputs?.["frame_rate"]))
        .find((value) => value !== undefined) ?? 24;
    const pattern = PATTERNS[prompt.number % PATTERNS.length]!;
    prompt.native = { width, height, fps, frames, pattern };

    const save = graph[node]!;
    const prefix = String(save.inputs?.["filename_prefix"] ?? "ComfyUI");
    const subfolder = path.posix.dirname(prefix) === "." ? "" : path.posix.dirname(prefix);
    const number = String(++fileCounter).padStart(5, "0");
    const vhs = save.class_type === "VHS_VideoCombine";
    const filename = `${path.posix.basename(prefix)}_${number}${vhs ? "" : "_"}.mp4`;
    await mkdir(path.join(root, "output", subfolder), { recursive: true });
    const args = [
      ...["-v", "error", "-nostdin", "-f", "lavfi", "-i", `${pattern}=size=${width}x${height}:rate=${fps}`],
      ...["-frames:v", String(frames), "-c:v", "libx264", "-preset", options.x264Preset ?? "ultrafast"],
      ...[
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        "-y",
        path.join(root, "output", subfolder, filename),
      ],
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(options.ffmpegPath, args, { stdio: ["ignore", "ignore", "pipe"] });
      run.child = child;
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("error", reject);
      child.once("close", (code) =>
        code === 0 ? resolve() : reject(new Error(`ffmpeg ${code}: ${stderr}`)),
      );
    });
    run.child = undefined;

    const key = options.outputKey ?? (vhs ? "gifs" : "images");
    const saved = { filename, subfolder, type: "output" };
    // Distractors a real history also holds: a temp preview and a still image.
    const preview = { filename: `preview_${number}.mp4`, subfolder: "", type: "temp" };
    const still = { filename: `${path.posix.basename(prefix)}_${number}.png`, subfolder, type: "output" };
    if (key === "gifs") {
      return { gifs: [preview, { ...saved, format: "video/h264-mp4", frame_rate: fps }], images: [still] };
    }
    return { [key]: [preview, still, saved], animated: [true] };
  }

  const sockets_ = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://peer");
    if (options.refuseSockets || (url.pathname !== "/ws" && url.pathname !== "/api/ws")) {
      socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    sockets_.handleUpgrade(req, socket, head, (ws) => {
      const clientId = url.searchParams.get("clientId") ?? randomUUID().replaceAll("-", "");
      socketConnections++;
      sockets.set(ws, clientId);
      ws.on("close", () => sockets.delete(ws));
      ws.on("error", () => sockets.delete(ws));
      ws.send(
        JSON.stringify({
          type: "status",
          data: {
            status: { exec_info: { queue_remaining: pending.length + (running ? 1 : 0) } },
            sid: clientId,
          },
        }),
      );
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    options,
    prompts,
    interrupts,
    deletes,
    requests,
    get socketConnections() {
      return socketConnections;
    },
    async submitForeign(graph) {
      const response = await fetch(`${url}/prompt`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: graph, client_id: "someone-else" }),
      });
      const answer = (await response.json()) as { prompt_id: string };
      return answer.prompt_id;
    },
    resume() {
      options.paused = false;
      pump();
    },
    dropSockets() {
      for (const ws of sockets.keys()) ws.terminate();
    },
    forget(promptId) {
      const index = pending.indexOf(promptId);
      if (index !== -1) pending.splice(index, 1);
      history.delete(promptId);
      const prompt = prompts.get(promptId);
      if (prompt) prompt.status = "forgotten";
    },
    async waitFor(probe, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error("comfyui peer: condition not met in time");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      closed = true;
      options.paused = true;
      if (running) {
        running.interrupted = true;
        running.child?.kill("SIGKILL");
        running.wake?.();
      }
      for (const ws of sockets.keys()) ws.terminate();
      sockets_.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

function numeric(value: unknown): number | undefined {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : NaN;
  return Number.isFinite(number) ? number : undefined;
}

function invalidPrompt(message: string, node: string) {
  return { type: "invalid_prompt", message, details: `Node ID '#${node}'`, extra_info: {} };
}

/** ComfyUI converts INT and FLOAT inputs with int()/float(): numbers and numeric strings pass. */
function validateInputs(graph: Graph, outputs: string[]): Record<string, unknown> {
  const errors: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(graph)) {
    const problems = [];
    for (const [name, value] of Object.entries(node.inputs ?? {})) {
      if (Array.isArray(value)) {
        if (!(String(value[0]) in graph)) {
          problems.push({
            type: "exception_during_inner_validation",
            message: "Exception when validating inner node",
            details: `${name}: linked node ${String(value[0])} does not exist`,
            extra_info: { input_name: name },
          });
        }
        continue;
      }
      const kind = INT_INPUTS.has(name) ? "INT" : FLOAT_INPUTS.has(name) ? "FLOAT" : undefined;
      if (kind === undefined) continue;
      const number = numeric(value);
      if (number === undefined || (kind === "INT" && !Number.isInteger(number))) {
        problems.push({
          type: "invalid_input_type",
          message: `Failed to convert an input value to a ${kind} value`,
          details: `${name}, ${String(value)}, invalid literal for ${kind === "INT" ? "int" : "float"}(): '${String(value)}'`,
          extra_info: { input_name: name, received_value: value },
        });
      }
    }
    if (problems.length > 0) {
      errors[id] = { errors: problems, dependent_outputs: outputs, class_type: node.class_type };
    }
  }
  return errors;
}

/** Nodes in an order where every node comes after the nodes it links to. */
function executionOrder(graph: Graph): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || !(id in graph)) return;
    seen.add(id);
    for (const value of Object.values(graph[id]?.inputs ?? {})) {
      if (Array.isArray(value)) visit(String(value[0]));
    }
    order.push(id);
  };
  for (const id of Object.keys(graph)) visit(id);
  return order;
}

/** A binary websocket frame as ComfyUI sends previews: event 1 (preview), format 1 (JPEG), bytes. */
function previewFrame(): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  return Buffer.concat([
    header,
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9]),
  ]);
}

function parse(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}
