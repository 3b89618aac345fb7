export { createWebhookDeliverer } from "./deliverer.ts";
export type { DeliveryOutcome, WebhookDeliverer, WebhookDelivererOptions } from "./deliverer.ts";
export { webhookBody, webhookPayload } from "./payload.ts";
export type { WebhookPayload } from "./payload.ts";
export { DEFAULT_WEBHOOK_POLICY, checkWebhookUrl, compileWebhookPolicy, policyLookup } from "./policy.ts";
export type { ResolveHost, WebhookPolicy, WebhookUrlCheck } from "./policy.ts";
export {
  LOCAL_USER_ID,
  createSigningKey,
  jwksDocument,
  loadSigningKey,
  signWebhook,
  storeJwks,
} from "./signing.ts";
export type { SignedDelivery } from "./signing.ts";
