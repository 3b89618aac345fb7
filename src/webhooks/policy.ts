import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Where webhooks may go. A webhook makes this server send a request wherever a caller says, so
 * destinations a caller should never reach through it are refused: link-local addresses (where
 * cloud metadata services answer with credentials) unless `allowLinkLocal`, and whatever the
 * operator lists. Loopback and private addresses are allowed by default: a self-hosted receiver
 * often runs on the same machine or network; an operator who wants otherwise denies them.
 *
 * `allow` and `deny` entries: a hostname (`hooks.example.com`), a `*.example.com` pattern
 * (subdomains of example.com), an IP address or a CIDR (`10.0.0.0/8`, `fd00::/8`). A deny match
 * wins; a non-empty allow list admits only what it matches (a host by name, or every address it
 * resolves to by CIDR).
 */
export interface WebhookPolicy {
  allowLinkLocal: boolean;
  allow: string[];
  deny: string[];
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = { allowLinkLocal: false, allow: [], deny: [] };

/** `transient`: the host could not be resolved now; a later attempt may succeed. */
export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string; transient?: boolean };

export type ResolveHost = (hostname: string) => Promise<string[]>;

/**
 * Checks a webhook URL against the policy, resolving its host. Run at submit (a refusal is a 422
 * on `fal_webhook`) and again before each delivery, since DNS may have changed since.
 *
 * @example
 * const check = await checkWebhookUrl("https://example.com/hook", DEFAULT_WEBHOOK_POLICY);
 * if (!check.ok) throw validationError([{ loc: ["query", "fal_webhook"], msg: check.reason, type: "value_error" }]);
 */
export async function checkWebhookUrl(
  url: string,
  policy: WebhookPolicy,
  options: { resolve?: ResolveHost } = {},
): Promise<WebhookUrlCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "Webhook URL is not a valid absolute URL" };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { ok: false, reason: `Webhook URL must use http or https, not ${parsed.protocol.slice(0, -1)}` };
  }
  const rules = compileWebhookPolicy(policy);
  const host = hostnameOf(parsed);
  if (hostMatches(rules.denyHosts, host)) {
    return { ok: false, reason: `Webhook host ${host} is refused by this server's webhook policy` };
  }
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await (options.resolve ?? resolveAll)(host);
    } catch {
      return { ok: false, reason: `Webhook host ${host} could not be resolved`, transient: true };
    }
  }
  const refusal = refuseAddresses(rules, host, addresses);
  return refusal === undefined ? { ok: true, url: parsed } : { ok: false, reason: refusal };
}

/**
 * A `lookup` for `http.request` that applies the policy to the addresses the connection will
 * actually use: a host that resolved to a public address at the check cannot switch to a
 * metadata address for the connection (DNS rebinding).
 */
export function policyLookup(policy: WebhookPolicy): LookupFunction {
  const rules = compileWebhookPolicy(policy);
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, "");
      const host = hostname.replace(/\.$/, "").toLowerCase();
      const refusal = refuseAddresses(
        rules,
        host,
        found.map((entry) => entry.address),
      );
      if (refusal !== undefined)
        return callback(Object.assign(new Error(refusal), { code: "EWEBHOOKPOLICY" }), "");
      if (options.all === true) return callback(null, found);
      const first = found[0];
      if (!first)
        return callback(Object.assign(new Error(`${host} has no address`), { code: "ENOTFOUND" }), "");
      callback(null, first.address, first.family);
    });
  };
}

interface CompiledPolicy {
  allowLinkLocal: boolean;
  allowHosts: string[];
  allowNets: BlockList;
  hasAllow: boolean;
  denyHosts: string[];
  denyNets: BlockList;
}

const compiled = new WeakMap<WebhookPolicy, CompiledPolicy>();

/** Parses the entries once per policy object; throws on an entry that is none of the forms above. */
export function compileWebhookPolicy(policy: WebhookPolicy): CompiledPolicy {
  let rules = compiled.get(policy);
  if (rules) return rules;
  const allow = parseEntries(policy.allow);
  const deny = parseEntries(policy.deny);
  rules = {
    allowLinkLocal: policy.allowLinkLocal,
    allowHosts: allow.hosts,
    allowNets: allow.nets,
    hasAllow: policy.allow.length > 0,
    denyHosts: deny.hosts,
    denyNets: deny.nets,
  };
  compiled.set(policy, rules);
  return rules;
}

// Link-local ranges, where most clouds' metadata service answers (169.254.169.254), plus the
// metadata addresses some clouds put outside them (AWS over IPv6, Alibaba).
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet("169.254.0.0", 16, "ipv4");
LINK_LOCAL.addSubnet("fe80::", 10, "ipv6");
LINK_LOCAL.addAddress("fd00:ec2::254", "ipv6");
LINK_LOCAL.addAddress("100.100.100.200", "ipv4");

function refuseAddresses(
  rules: CompiledPolicy,
  host: string,
  addresses: readonly string[],
): string | undefined {
  if (addresses.length === 0) return `Webhook host ${host} has no address`;
  for (const raw of addresses) {
    const [address, family] = normalizeAddress(raw);
    if (rules.denyNets.check(address, family)) {
      return `Webhook host ${host} resolves to ${address}, which is refused by this server's webhook policy`;
    }
    if (!rules.allowLinkLocal && LINK_LOCAL.check(address, family)) {
      return `Webhook host ${host} resolves to ${address}, a link-local (cloud metadata) address, which this server refuses`;
    }
  }
  if (!rules.hasAllow || hostMatches(rules.allowHosts, host)) return undefined;
  const allInAllowedNets = addresses.every((raw) => rules.allowNets.check(...normalizeAddress(raw)));
  return allInAllowedNets ? undefined : `Webhook host ${host} is not in this server's webhook allow list`;
}

/**
 * An address as it will be reached: an IPv4-mapped IPv6 address (`::ffff:169.254.169.254`, in
 * either notation) is its IPv4 address, so it cannot slip past an IPv4 rule.
 */
function normalizeAddress(raw: string): [string, "ipv4" | "ipv6"] {
  const address = raw.replace(/%.*$/, "").toLowerCase();
  if (isIP(address) !== 6) return [address, "ipv4"];
  // The URL parser writes IPv6 in its canonical form: a mapped address is always `::ffff:h:h`.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return [canonical, "ipv6"];
  const high = parseInt(mapped[1] ?? "0", 16);
  const low = parseInt(mapped[2] ?? "0", 16);
  return [[high >> 8, high & 255, low >> 8, low & 255].join("."), "ipv4"];
}

function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

/** Exact names, or `.suffix` for `*.suffix` patterns. */
function hostMatches(patterns: readonly string[], host: string): boolean {
  return patterns.some((pattern) => (pattern.startsWith(".") ? host.endsWith(pattern) : host === pattern));
}

function parseEntries(entries: readonly string[]): { hosts: string[]; nets: BlockList } {
  const hosts: string[] = [];
  const nets = new BlockList();
  for (const entry of entries) {
    const text = entry.trim().toLowerCase();
    const [base = "", prefixText] = text.split("/", 2);
    const family = isIP(base);
    if (family !== 0) {
      const [address, type] = normalizeAddress(base);
      const max = type === "ipv4" ? 32 : 128;
      // A prefix written for a mapped IPv6 address (`::ffff:10.0.0.0/104`) counts its IPv4 bits.
      const shift = family === 6 && type === "ipv4" ? 96 : 0;
      const prefix = prefixText === undefined ? max : Number(prefixText) - shift;
      if (
        !Number.isInteger(prefix) ||
        prefix < 0 ||
        prefix > max ||
        (prefixText !== undefined && !/^\d+$/.test(prefixText))
      ) {
        throw new Error(`Invalid webhook policy entry "${entry}": bad CIDR prefix`);
      }
      nets.addSubnet(address, prefix, type);
      continue;
    }
    const name = text.replace(/\.$/, "");
    const pattern = name.startsWith("*.") ? name.slice(1) : name;
    if (
      prefixText !== undefined ||
      !/^\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(pattern)
    ) {
      throw new Error(
        `Invalid webhook policy entry "${entry}": expected a hostname, *.domain, IP address or CIDR`,
      );
    }
    hosts.push(pattern);
  }
  return { hosts, nets };
}

function resolveAll(hostname: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, found) =>
      error ? reject(error) : resolve(found.map((entry) => entry.address)),
    ),
  );
}
