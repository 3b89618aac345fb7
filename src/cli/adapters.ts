import { ConfigError, type Config } from "../config.ts";
import { defaultMediaTools, type MediaTools } from "../media/tools.ts";
import { createLocalStorage } from "../storage/local.ts";
import type { FileStorage } from "../storage/port.ts";
import { createS3Storage } from "../storage/s3.ts";
import type { RequestStore } from "../store/port.ts";
import { createPostgresStore } from "../store/postgres/index.ts";
import { createSqliteStore } from "../store/sqlite/index.ts";

/**
 * The store the configuration names: PostgreSQL when `DATABASE_URL` is set, else the SQLite file
 * in the data dir. The server, the workers and the operator verbs open the same one.
 */
export function openStore(config: Config): RequestStore {
  if (config.databaseUrl !== undefined) return createPostgresStore({ url: config.databaseUrl });
  return createSqliteStore({ path: config.databasePath });
}

/** The file storage the configuration names: an S3 bucket, else the local `files` directory. */
export function openStorage(config: Config): FileStorage {
  if (!config.s3) {
    if (config.fileUrls === "presigned") {
      throw new ConfigError("SHOTLINE_FILE_URLS=presigned needs S3 storage (SHOTLINE_S3_BUCKET)");
    }
    return createLocalStorage({ root: config.filesDir });
  }
  const { accessKeyId, secretAccessKey, ...bucket } = config.s3;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError("SHOTLINE_S3_ACCESS_KEY_ID and SHOTLINE_S3_SECRET_ACCESS_KEY must be set together");
  }
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
  return createS3Storage({ ...bucket, credentials });
}

/** ffmpeg and ffprobe: the configured paths, else the binaries bundled in npm packages. */
export function mediaTools(config: Config): MediaTools {
  const bundled = defaultMediaTools();
  return {
    ffmpegPath: config.ffmpegPath ?? bundled.ffmpegPath,
    ffprobePath: config.ffprobePath ?? bundled.ffprobePath,
  };
}
