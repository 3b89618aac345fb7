import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";

export interface PostOptions {
  headers: Record<string, string>;
  /** For connecting, sending and the receiver's status line (and, for a failure, its body). */
  timeoutMs: number;
  /** Resolves the host for the connection (see `policyLookup`). */
  lookup: LookupFunction;
}

export interface PostAnswer {
  status: number;
  /** The start of the receiver's answer, kept for the outbox's `last_error`. */
  excerpt: string;
}

/** What is kept of an answer; the rest is read and dropped. */
const EXCERPT_BYTES = 512;
/** A receiver that streams more than this is cut off: its status is already known. */
const MAX_READ_BYTES = 64 * 1024;

/**
 * POSTs a body once: no redirects are followed (a 3xx is an answer like any other) and no
 * connection is reused. Node's http client rather than `fetch`, because only it lets the policy
 * check the addresses the connection really uses. Rejects on a network error or a timeout.
 */
export function postOnce(url: URL, body: string, options: PostOptions): Promise<PostAnswer> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(signal.aborted ? new Error(`no answer within ${options.timeoutMs} ms`) : error);
    const request = send(url, {
      method: "POST",
      headers: {
        ...options.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "user-agent": "Shotline-Webhooks/1",
        connection: "close",
      },
      lookup: options.lookup,
      agent: false,
      signal,
    });
    request.on("error", fail);
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let read = 0;
      // Once the status is known the attempt has its answer, whatever happens to the rest.
      const finish = () => resolve({ status, excerpt: Buffer.concat(chunks).toString("utf8") });
      response.on("error", finish);
      response.on("close", finish);
      if (status >= 200 && status < 300) {
        // Nothing in an acknowledgement is needed: drain it and answer at once.
        response.resume();
        finish();
        return;
      }
      response.on("data", (chunk: Buffer) => {
        if (read < EXCERPT_BYTES) chunks.push(chunk.subarray(0, EXCERPT_BYTES - read));
        read += chunk.length;
        if (read > MAX_READ_BYTES) response.destroy();
      });
      response.on("end", finish);
    });
    request.end(body);
  });
}
