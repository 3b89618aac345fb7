import type { Context } from "hono";

/** The path below a router's mount point (`/queue`, `/run`), decoded, without edge slashes. */
export function pathAfterMount(c: Context): string {
  const mount = c.req.routePath.replace(/\/\*$/, "");
  return decodeURIComponent(c.req.path.slice(mount.length)).replace(/^\/+|\/+$/g, "");
}
