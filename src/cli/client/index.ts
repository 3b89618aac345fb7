import { UsageError } from "../usage-error.ts";
import { describeError, EXIT_CODES_USAGE, exitCodeOf } from "./exit-codes.ts";
import { generateCommand, GENERATE_USAGE } from "./generate.ts";
import { CLIENT_OPTIONS_USAGE } from "./options.ts";
import { cancelCommand, REQUESTS_USAGE, resultCommand, statusCommand } from "./requests.ts";
import { usageCommand, USAGE_USAGE } from "./usage.ts";

/** The verbs that call a Shotline server over HTTP, as any fal client would. */
const CLIENT_VERBS = {
  generate: generateCommand,
  status: statusCommand,
  result: resultCommand,
  cancel: cancelCommand,
  usage: usageCommand,
} as const;

export type ClientVerb = keyof typeof CLIENT_VERBS;

export const isClientVerb = (command: string): command is ClientVerb => Object.hasOwn(CLIENT_VERBS, command);

export const CLIENT_USAGE = `${GENERATE_USAGE}
${REQUESTS_USAGE}
${USAGE_USAGE}

${CLIENT_OPTIONS_USAGE}

${EXIT_CODES_USAGE}`;

/**
 * Runs a client verb. Bad flags are thrown on for the entry point to print with the usage text;
 * any other failure is printed here in one line and turned into its exit code.
 */
export async function clientCommand(
  verb: ClientVerb,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  try {
    return await CLIENT_VERBS[verb](args, env);
  } catch (error) {
    const parseError = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (error instanceof UsageError || parseError) throw error;
    process.stderr.write(`shotline: ${describeError(error)}\n`);
    return exitCodeOf(error);
  }
}
