import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZText } from '@/lib/validation/common';
import {
  ZAcknowledgeAlert,
  ZAlertDetail,
  ZAlertIdParams,
  ZAlertPage,
  ZAlertRule,
  ZChannel,
  ZChannelIdParams,
  ZCreateChannel,
  ZCreatedChannel,
  ZCreateRule,
  ZPreviewRule,
  ZRulePreview,
  ZListAlertsQuery,
  ZNotification,
  ZResolveAlert,
  ZRuleIdParams,
  ZUpdateRule,
} from '@/lib/validation/alerts';

export const listChannels = defineEndpoint({
  method: 'GET',
  path: '/api/v1/channels',
  tag: 'Alerts',
  summary: 'Notification channels, by name',
  description: 'Engineers read the list to choose channels for their rules; secrets are never returned.',
  auth: 'user',
  permission: 'alerts:read',
  response: z.object({ items: z.array(ZChannel) }),
});

export const createChannel = defineEndpoint({
  method: 'POST',
  path: '/api/v1/channels',
  tag: 'Alerts',
  summary: 'Add a notification channel',
  description:
    '`webhook`: alerts are POSTed as JSON signed like other ModelDeck webhooks (`x-modeldeck-signature`); the secret is in this response only. `slack`: a Block Kit message to an incoming-webhook URL (stored encrypted). `email`: needs SMTP_HOST on the server.',
  auth: 'user',
  permission: 'channels:manage',
  body: ZCreateChannel,
  response: ZCreatedChannel,
  successStatus: 201,
  errors: [409],
});

export const deleteChannel = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/channels/{id}',
  tag: 'Alerts',
  summary: 'Delete a channel, its delivery log, and its place in rules',
  auth: 'user',
  permission: 'channels:manage',
  params: ZChannelIdParams,
  response: ZChannel,
  errors: [404],
});

export const testChannel = defineEndpoint({
  method: 'POST',
  path: '/api/v1/channels/{id}/test',
  tag: 'Alerts',
  summary: 'Queue a test message through the channel',
  description: 'Delivered by the same job as alerts (retried with backoff); follow it in the channel\'s notifications.',
  auth: 'user',
  permission: 'channels:manage',
  params: ZChannelIdParams,
  response: ZNotification,
  successStatus: 202,
  errors: [404],
});

export const listChannelNotifications = defineEndpoint({
  method: 'GET',
  path: '/api/v1/channels/{id}/notifications',
  tag: 'Alerts',
  summary: "A channel's last 50 notifications with their attempts",
  auth: 'user',
  permission: 'channels:manage',
  params: ZChannelIdParams,
  response: z.object({ items: z.array(ZNotification) }),
  errors: [404],
});

export const listAlertRules = defineEndpoint({
  method: 'GET',
  path: '/api/v1/alert-rules',
  tag: 'Alerts',
  summary: 'Alert rules, by model then name',
  auth: 'user',
  permission: 'alerts:read',
  query: z.object({ model: ZText.max(64).optional() }),
  response: z.object({ items: z.array(ZAlertRule) }),
});

export const createAlertRule = defineEndpoint({
  method: 'POST',
  path: '/api/v1/alert-rules',
  tag: 'Alerts',
  summary: 'Create an alert rule',
  description:
    'The rule fires when the signal, measured over the last `windowMinutes`, compares to `threshold` as `comparator` says, with at least `minSamples` samples. Unknown model, environment, version, feature or channel, or a metric that does not fit the model\'s task → 422 naming the field.',
  auth: 'user',
  permission: 'alerts:manage',
  body: ZCreateRule,
  response: ZAlertRule,
  successStatus: 201,
});

export const previewAlertRule = defineEndpoint({
  method: 'POST',
  path: '/api/v1/alert-rules/preview',
  tag: 'Alerts',
  summary: 'How often a draft rule would have fired over the last 7 days',
  description:
    'The signal measured at the end of every hour of the last 7 days over the rule\'s window (from the hourly rollups), replayed through the alert lifecycle (minSamples, comparator, auto-resolve after a clear window). Nothing is stored. Same 422s as creating the rule.',
  auth: 'user',
  permission: 'alerts:read',
  body: ZPreviewRule,
  response: ZRulePreview,
});

export const getAlertRule = defineEndpoint({
  method: 'GET',
  path: '/api/v1/alert-rules/{id}',
  tag: 'Alerts',
  summary: 'One alert rule',
  auth: 'user',
  permission: 'alerts:read',
  params: ZRuleIdParams,
  response: ZAlertRule,
  errors: [404],
});

export const updateAlertRule = defineEndpoint({
  method: 'PATCH',
  path: '/api/v1/alert-rules/{id}',
  tag: 'Alerts',
  summary: 'Change, enable/disable or snooze a rule',
  description: '`snoozeMinutes` silences the rule (no evaluation, so no new alerts) until then; `0` ends a snooze.',
  auth: 'user',
  permission: 'alerts:manage',
  params: ZRuleIdParams,
  body: ZUpdateRule,
  response: ZAlertRule,
  errors: [404],
});

export const deleteAlertRule = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/alert-rules/{id}',
  tag: 'Alerts',
  summary: 'Delete a rule and its alerts',
  auth: 'user',
  permission: 'alerts:manage',
  params: ZRuleIdParams,
  response: ZAlertRule,
  errors: [404],
});

export const listAlerts = defineEndpoint({
  method: 'GET',
  path: '/api/v1/alerts',
  tag: 'Alerts',
  summary: 'Alerts, newest first',
  auth: 'user',
  permission: 'alerts:read',
  query: ZListAlertsQuery,
  response: ZAlertPage,
});

export const getAlert = defineEndpoint({
  method: 'GET',
  path: '/api/v1/alerts/{id}',
  tag: 'Alerts',
  summary: 'An alert with its timeline and notifications',
  auth: 'user',
  permission: 'alerts:read',
  params: ZAlertIdParams,
  response: ZAlertDetail,
  errors: [404],
});

export const acknowledgeAlert = defineEndpoint({
  method: 'POST',
  path: '/api/v1/alerts/{id}/acknowledge',
  tag: 'Alerts',
  summary: 'Acknowledge a firing alert',
  description: '409 `alert_state` when the alert is no longer firing (someone else acknowledged or resolved it).',
  auth: 'user',
  permission: 'alerts:manage',
  params: ZAlertIdParams,
  body: ZAcknowledgeAlert,
  response: ZAlertDetail,
  errors: [404, 409],
});

export const resolveAlert = defineEndpoint({
  method: 'POST',
  path: '/api/v1/alerts/{id}/resolve',
  tag: 'Alerts',
  summary: 'Resolve an open alert',
  description: '409 `alert_state` when the alert is already resolved.',
  auth: 'user',
  permission: 'alerts:manage',
  params: ZAlertIdParams,
  body: ZResolveAlert,
  response: ZAlertDetail,
  errors: [404, 409],
});
