import { ConfigError, type Config } from "../config.ts";
import type { Engine } from "../engines/port.ts";
import { createFalEngine } from "../engines/fal/index.ts";
import { createComfyuiEngine, loadWorkflow, WorkflowError } from "../engines/comfyui/index.ts";
import { createPrevizEngine } from "../engines/previz/index.ts";
import { KLING_V3_TURBO_PRO_T2V, PREVIZ_T2V } from "../jobs/endpoints.ts";
import type { MediaTools } from "../media/tools.ts";

export type EngineName = Config["engine"];

/** An endpoint id, its price and the engine that renders it: the routing table of a process. */
export interface EndpointRoute {
  id: string;
  pricePerSecond: number;
  engine: Engine;
}

/** Builds the engine the configuration names (only the entry points pick adapters). */
export function createEngine(name: EngineName, config: Config, tools: MediaTools): Engine {
  switch (name) {
    case "previz":
      return createPrevizEngine({ ffmpegPath: tools.ffmpegPath, audio: config.audio });
    case "fal":
      if (!config.fal.key) {
        throw new ConfigError(
          "SHOTLINE_ENGINE=fal needs SHOTLINE_FAL_KEY: the operator's fal key, used to call the real model",
        );
      }
      return createFalEngine({
        key: config.fal.key,
        queueUrl: config.fal.url,
        ffmpegPath: tools.ffmpegPath,
        ffprobePath: tools.ffprobePath,
      });
    case "comfyui":
      return createComfyuiEngine({
        url: config.comfyui.url,
        workflow: comfyuiWorkflow(config.comfyui.workflow),
        ffmpegPath: tools.ffmpegPath,
        ffprobePath: tools.ffprobePath,
      });
  }
}

/** The ComfyUI workflow, read at start: a bad file stops the process with the setting's name. */
function comfyuiWorkflow(nameOrPath: string) {
  try {
    return loadWorkflow(nameOrPath);
  } catch (error) {
    if (error instanceof WorkflowError) throw new ConfigError(`SHOTLINE_COMFYUI_WORKFLOW=${error.message}`);
    throw error;
  }
}

/**
 * The Kling endpoint runs the configured engine at the configured price; the previz endpoint always
 * runs previz, free, with the same schema.
 */
export function endpointRoutes(config: Config, tools: MediaTools): EndpointRoute[] {
  const previz = createEngine("previz", config, tools);
  const main = config.engine === "previz" ? previz : createEngine(config.engine, config, tools);
  return [
    { id: KLING_V3_TURBO_PRO_T2V, pricePerSecond: config.pricePerSecond, engine: main },
    { id: PREVIZ_T2V, pricePerSecond: 0, engine: previz },
  ];
}

/** The engine for a stored request's endpoint id. */
export function engineLookup(routes: EndpointRoute[]): (endpointId: string) => Engine {
  const byId = new Map(routes.map((route) => [route.id, route.engine]));
  return (endpointId) => {
    const engine = byId.get(endpointId);
    if (!engine) throw new Error(`No engine serves endpoint '${endpointId}' in this process`);
    return engine;
  };
}

/**
 * The routes whose engine is one of `names` (`shotline worker --engine …`), so that a worker claims
 * only the requests it can render; every route when `names` is empty.
 */
export function routesForEngines(routes: EndpointRoute[], names: readonly string[]): EndpointRoute[] {
  if (names.length === 0) return routes;
  const known = new Set(routes.map((route) => route.engine.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `--engine ${unknown.join(", ")}: no endpoint of this deployment runs it (engines: ${[...known].join(", ")})`,
    );
  }
  return routes.filter((route) => names.includes(route.engine.name));
}
