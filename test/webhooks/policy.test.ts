import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { describe, it } from "node:test";
import {
  checkWebhookUrl,
  compileWebhookPolicy,
  DEFAULT_WEBHOOK_POLICY,
  policyLookup,
  type WebhookPolicy,
} from "../../src/webhooks/policy.ts";

const policy = (overrides: Partial<WebhookPolicy> = {}): WebhookPolicy => ({
  ...DEFAULT_WEBHOOK_POLICY,
  ...overrides,
});

/** A resolver with fixed answers, so tests do not depend on the network's DNS. */
const fakeDns =
  (table: Record<string, string[]>) =>
  async (host: string): Promise<string[]> => {
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found;
  };

const DNS = fakeDns({
  "metadata.internal": ["169.254.169.254"],
  "mapped.internal": ["::ffff:a9fe:a9fe"],
  "hooks.example": ["93.184.216.34"],
  "a.evil.test": ["93.184.216.35"],
  "evil.test": ["93.184.216.36"],
  "office.example": ["192.168.1.20"],
  "split.example": ["192.168.1.21", "93.184.216.37"],
  "ten.example": ["10.1.2.3"],
  "ten-mapped.example": ["::ffff:10.1.2.3"],
});

const check = (url: string, p: WebhookPolicy = DEFAULT_WEBHOOK_POLICY) =>
  checkWebhookUrl(url, p, { resolve: DNS });

async function refused(url: string, p: WebhookPolicy, reason: RegExp) {
  const result = await check(url, p);
  assert.equal(result.ok, false, `${url} should be refused`);
  if (!result.ok) assert.match(result.reason, reason);
}

describe("webhook URL policy", () => {
  it("refuses link-local and cloud metadata destinations, in every notation", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://169.254.0.1:8080/",
      "http://[fe80::1]/hook",
      "http://[febf:ffff::1]/hook",
      "http://[::ffff:169.254.169.254]/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://0xa9fea9fe/",
      "http://2852039166/",
      "http://[fd00:ec2::254]/",
      "http://metadata.internal/computeMetadata/v1/",
      "http://mapped.internal/",
    ]) {
      await refused(url, DEFAULT_WEBHOOK_POLICY, /link-local/);
    }
  });

  it("allows link-local destinations when configured to", async () => {
    const open = policy({ allowLinkLocal: true });
    for (const url of ["http://169.254.169.254/", "http://[fe80::1]/", "http://metadata.internal/"]) {
      const result = await check(url, open);
      assert.equal(result.ok, true, url);
    }
  });

  it("allows loopback, private and public hosts by default, and returns the parsed URL", async () => {
    for (const url of [
      "http://127.0.0.1:9/hook",
      "http://[::1]:9/",
      "http://office.example/",
      "https://hooks.example/a?b=1",
    ]) {
      const result = await check(url);
      assert.equal(result.ok, true, url);
      if (result.ok) assert.equal(result.url.href, new URL(url).href);
    }
    // The real resolver: `localhost` from the hosts file.
    const local = await checkWebhookUrl("http://localhost:3000/webhook", DEFAULT_WEBHOOK_POLICY);
    assert.equal(local.ok, true);
  });

  it("refuses schemes other than http and https, and what is not a URL", async () => {
    for (const url of [
      "ftp://hooks.example/x",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "data:text/plain,hi",
      "ws://hooks.example/",
    ]) {
      await refused(url, DEFAULT_WEBHOOK_POLICY, /must use http or https/);
    }
    await refused("not a url", DEFAULT_WEBHOOK_POLICY, /not a valid absolute URL/);
    await refused("/relative/hook", DEFAULT_WEBHOOK_POLICY, /not a valid absolute URL/);
  });

  it("denies hostnames, *.domain patterns and CIDRs, IPv4-mapped forms included", async () => {
    const deny = policy({ deny: ["hooks.example", "*.evil.test", "10.0.0.0/8", "fd00::/8"] });
    await refused("http://hooks.example/", deny, /refused by this server's webhook policy/);
    await refused("http://HOOKS.EXAMPLE./", deny, /refused by this server's webhook policy/);
    await refused("http://a.evil.test/", deny, /refused/);
    await refused("http://ten.example/", deny, /resolves to 10\.1\.2\.3/);
    await refused("http://ten-mapped.example/", deny, /resolves to 10\.1\.2\.3/);
    await refused("http://[fd12::1]/", deny, /refused/);
    // `*.evil.test` is its subdomains, not the domain itself.
    assert.equal((await check("http://evil.test/", deny)).ok, true);
    assert.equal((await check("http://office.example/", deny)).ok, true);
  });

  it("with an allow list admits only what it matches, and a deny match wins", async () => {
    const allow = policy({ allow: ["hooks.example", "192.168.0.0/16"] });
    assert.equal((await check("https://hooks.example/", allow)).ok, true);
    assert.equal((await check("http://office.example/", allow)).ok, true);
    assert.equal((await check("http://192.168.7.7/", allow)).ok, true);
    await refused("http://evil.test/", allow, /not in this server's webhook allow list/);
    // Every address must be allowed: one outside the CIDRs could be the one connected to.
    await refused("http://split.example/", allow, /allow list/);
    const both = policy({ allow: ["hooks.example"], deny: ["hooks.example"] });
    await refused("https://hooks.example/", both, /refused/);
    // The allow list does not lift the link-local refusal.
    await refused("http://169.254.169.254/", policy({ allow: ["169.254.0.0/16"] }), /link-local/);
  });

  it("reports an unresolvable host as transient, so a delivery is retried", async () => {
    const result = await check("http://nowhere.invalid/");
    assert.deepEqual(result, {
      ok: false,
      reason: "Webhook host nowhere.invalid could not be resolved",
      transient: true,
    });
  });

  it("throws on malformed policy entries", () => {
    for (const entry of ["10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "not a host!", "*.", "evil.test/8"]) {
      assert.throws(
        () => compileWebhookPolicy(policy({ deny: [entry] })),
        /Invalid webhook policy entry/,
        entry,
      );
    }
  });
});

describe("policyLookup (the connection's own resolution)", () => {
  const lookup = (p: WebhookPolicy, host: string, all: boolean) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((resolve) =>
      policyLookup(p)(host, { all }, (error, address) => resolve({ error, address })),
    );

  it("refuses a connection whose resolved address the policy refuses (DNS rebinding)", async () => {
    const { error } = await lookup(policy({ deny: ["127.0.0.0/8", "::1"] }), "localhost", true);
    assert.equal(error?.code, "EWEBHOOKPOLICY");
    assert.match(error?.message ?? "", /localhost resolves to/);
  });

  it("passes allowed addresses on in the form the caller asked for", async () => {
    const all = await lookup(DEFAULT_WEBHOOK_POLICY, "localhost", true);
    assert.equal(all.error, null);
    assert.ok(Array.isArray(all.address) && all.address.length > 0);
    const one = await lookup(DEFAULT_WEBHOOK_POLICY, "localhost", false);
    assert.equal(one.error, null);
    assert.match(String(one.address), /^(127\.0\.0\.1|::1)$/);
  });
});
