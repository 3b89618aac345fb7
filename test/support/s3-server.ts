import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";

/** The one key pair s3rver knows. */
const ACCESS_KEY_ID = "S3RVER";
const SECRET_ACCESS_KEY = "S3RVER";
const REGION = "us-east-1";

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
}) => S3rverInstance;

// s3rver is CommonJS without type declarations.
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverConstructor;

export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A client of this server, for looking at the bucket behind the code under test. */
  client: S3Client;
  /** Creates an empty bucket with a fresh name. */
  createBucket(): Promise<string>;
  /** Deletes every object of a bucket, then the bucket. */
  removeBucket(bucket: string): Promise<void>;
  /** The `SHOTLINE_S3_*` settings of a server process that keeps its files in `bucket`. */
  env(bucket: string): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (an S3-compatible server from npm, storing objects in a temp dir) on a free
 * loopback port. s3rver accepts any SigV4 signature: check presigned URLs with `presignedUrlFacts`.
 */
export async function startS3Server(): Promise<S3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "shotline-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: REGION,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    endpoint,
    region: REGION,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    client,
    async createBucket() {
      const bucket = `shotline-${randomUUID()}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async removeBucket(bucket) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const object of listed.Contents ?? []) {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    },
    env(bucket) {
      return {
        SHOTLINE_S3_BUCKET: bucket,
        SHOTLINE_S3_ENDPOINT: endpoint,
        SHOTLINE_S3_REGION: REGION,
        SHOTLINE_S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
        SHOTLINE_S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
        SHOTLINE_S3_FORCE_PATH_STYLE: "on",
      };
    },
    async stop() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export interface PresignedUrlFacts {
  accessKeyId: string;
  region: string;
  signedAt: Date;
  expiresAt: Date;
  /** Whether `X-Amz-Signature` is the SigV4 signature of this URL made with `secretAccessKey`. */
  signatureMatches: boolean;
}

/**
 * Reads a presigned S3 GET URL and checks its signature the way S3 does (SigV4, query-string
 * auth, only the host header signed), written from AWS's specification and independent of the SDK.
 */
export function presignedUrlFacts(url: string, secretAccessKey: string): PresignedUrlFacts {
  const parsed = new URL(url);
  const query = parsed.searchParams;
  const param = (name: string) => {
    const value = query.get(name);
    if (value === null) throw new Error(`not a presigned URL: no ${name} in ${url}`);
    return value;
  };
  if (param("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") throw new Error(`not SigV4: ${url}`);
  const [accessKeyId = "", day = "", region = "", service = "", terminator = ""] =
    param("X-Amz-Credential").split("/");
  const amzDate = param("X-Amz-Date");
  const signature = param("X-Amz-Signature");
  const signedHeaders = param("X-Amz-SignedHeaders");

  const canonicalQuery = [...query.entries()]
    .filter(([name]) => name !== "X-Amz-Signature")
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  const canonicalHeaders = signedHeaders
    .split(";")
    .map((name) => {
      if (name !== "host") throw new Error(`a presigned GET signs only the host, not ${name}`);
      return `host:${parsed.host}\n`;
    })
    .join("");
  const canonicalRequest = [
    "GET",
    parsed.pathname,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const scope = `${day}/${region}/${service}/${terminator}`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = [day, region, service, terminator].reduce<Buffer>(
    (key, part) => hmac(key, part),
    Buffer.from(`AWS4${secretAccessKey}`),
  );
  const expected = hmac(signingKey, stringToSign);
  const given = Buffer.from(signature, "hex");

  const signedAt = new Date(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  return {
    accessKeyId,
    region,
    signedAt,
    expiresAt: new Date(signedAt.getTime() + Number(param("X-Amz-Expires")) * 1000),
    signatureMatches: given.length === expected.length && timingSafeEqual(given, expected),
  };
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function sha256Hex(data: string): string {
  return createHash("sha256").update(data).digest("hex");
}

function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
