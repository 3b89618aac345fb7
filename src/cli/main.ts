import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { CLIENT_USAGE, clientCommand, isClientVerb } from "./client/index.ts";
import { KEYS_USAGE, keysCommand } from "./keys.ts";
import { serveCommand } from "./serve.ts";
import { UsageError } from "./usage-error.ts";
import { WORKER_USAGE, workerCommand } from "./worker.ts";

const USAGE = `Usage: shotline <command> [options]

Client commands (call a Shotline server over HTTP):
${CLIENT_USAGE}

Server commands:
  serve [--port N] [--host ADDR] [--data-dir DIR] [--no-worker]
                                                       Start the HTTP API and a worker (the default command)
${WORKER_USAGE}
${KEYS_USAGE}

The server commands read the environment (see the README's configuration table); the keys verbs
work on the store that SHOTLINE_DATA_DIR names, with the server running or not.`;

async function main(argv: string[]): Promise<number> {
  const [command = "serve", ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  if (command === "keys") return keysCommand(loadConfig(process.env), rest);
  if (command === "worker") return workerCommand(rest, process.env);
  if (isClientVerb(command)) return clientCommand(command, rest, process.env);
  if (command === "serve") {
    const { values } = parseArgs({
      args: rest,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "data-dir": { type: "string" },
        "no-worker": { type: "boolean" },
      },
      strict: true,
    });
    const config = loadConfig(process.env, {
      ...(values.port !== undefined && { PORT: values.port }),
      ...(values.host !== undefined && { HOST: values.host }),
      ...(values["data-dir"] !== undefined && { SHOTLINE_DATA_DIR: values["data-dir"] }),
      ...(values["no-worker"] && { SHOTLINE_WORKER: "off" }),
    });
    await serveCommand(config);
    return 0;
  }
  throw new UsageError(`Unknown command: ${command}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    if (error instanceof ConfigError || error instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`shotline: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
