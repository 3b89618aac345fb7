import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { serveCommand } from "./serve.ts";

const USAGE = `Usage: shotline <command> [options]

Commands:
  serve     Start the HTTP API (and, unless SHOTLINE_WORKER=off, a worker) — the default
            --port N  --host ADDR  --data-dir DIR  --no-worker

Configuration comes from the environment; see the README's configuration table.`;

async function main(argv: string[]): Promise<number> {
  const [command = "serve", ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
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
  console.error(`Unknown command: ${command}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`shotline: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
