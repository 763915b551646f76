export const WEBHOOK_EVENTS = [
  'version.registered',
  'promotion.requested',
  'promotion.approved',
  'promotion.rejected',
  'release.live',
  'release.failed',
  'release.rolled_back',
  'release.aborted',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
