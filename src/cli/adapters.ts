import type { Config } from "../config.ts";
import type { RequestStore } from "../store/port.ts";
import { createSqliteStore } from "../store/sqlite/index.ts";

/** The store the configuration names; the server and the operator verbs open the same one. */
export function openStore(config: Config): RequestStore {
  return createSqliteStore({ path: config.databasePath });
}
