import { Readable } from "node:stream";
import { Hono } from "hono";
import { isValidKey, type ByteRange } from "../../storage/port.ts";
import type { AppEnv } from "../app-env.ts";
import type { AppDeps } from "../deps.ts";
import { fileGoneBody } from "../file-gone.ts";
import { HttpError } from "../http-error.ts";

/**
 * Output files, fetched without auth as fal's are: `GET|HEAD /files/{request id}/{name}` with
 * ETag / If-None-Match and single byte ranges (206), so players can seek. With presigned file
 * URLs, a file that exists is a 302 to a fresh presigned URL: the bytes come from the storage.
 */
export function fileRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.on(["GET", "HEAD"], "/:requestId/:name", async (c) => {
    const requestId = c.req.param("requestId");
    const key = `${requestId}/${c.req.param("name")}`;
    const object = isValidKey(key) ? await deps.storage.stat(key) : undefined;
    if (!object) {
      // The store is asked only for a missing file: serving one that exists costs no query.
      const record = isValidKey(key) ? await deps.store.get(requestId) : undefined;
      const gone = record && fileGoneBody(record);
      if (gone) throw new HttpError(410, gone);
      throw new HttpError(404, { detail: "File not found" });
    }
    const sign = deps.fileUrls === "presigned" ? deps.storage.signedUrl?.bind(deps.storage) : undefined;
    if (sign) {
      // The redirect must not outlive the URL it points at.
      return c.body(null, 302, {
        location: await sign(key, deps.presignSeconds),
        "cache-control": "no-store",
      });
    }

    const headers: Record<string, string> = {
      "content-type": object.contentType,
      etag: object.etag,
      "accept-ranges": "bytes",
      "cache-control": "public, max-age=31536000, immutable",
    };
    if (
      c.req
        .header("if-none-match")
        ?.split(/\s*,\s*/)
        .includes(object.etag)
    ) {
      return c.body(null, 304, headers);
    }
    let range: ByteRange | undefined;
    const rangeHeader = c.req.header("range");
    const ifRange = c.req.header("if-range");
    if (rangeHeader && (!ifRange || ifRange === object.etag)) {
      range = parseRange(rangeHeader, object.size);
      if (!range) {
        return c.body(null, 416, { ...headers, "content-range": `bytes */${object.size}` });
      }
      headers["content-range"] = `bytes ${range.start}-${range.end}/${object.size}`;
    }
    headers["content-length"] = String(range ? range.end - range.start + 1 : object.size);
    const status = range ? 206 : 200;
    if (c.req.method === "HEAD") return c.body(null, status, headers);
    const stream = Readable.toWeb(deps.storage.read(key, range)) as ReadableStream<Uint8Array>;
    return c.body(stream, status, headers);
  });
  return app;
}

/** One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; undefined when unsatisfiable or multiple. */
export function parseRange(header: string, size: number): ByteRange | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || size === 0) return undefined;
  const [, from = "", to = ""] = match;
  if (from === "" && to === "") return undefined;
  if (from === "") {
    const suffix = Number(to);
    return suffix === 0 ? undefined : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  return start > end || start >= size ? undefined : { start, end };
}
