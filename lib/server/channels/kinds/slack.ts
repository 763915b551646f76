import 'server-only';
import type { ChannelKind, AlertMessage } from './types';
import { postJsonOrThrow } from './post-json';

const HEADLINE: Record<string, string> = {
  'alert.firing': 'Alert firing',
  'alert.acknowledged': 'Alert acknowledged',
  'alert.resolved': 'Alert resolved',
  'channel.test': 'Test message from ModelDeck',
};

/** A Block Kit message a person can act on: what, where, how bad, and a link. */
export function slackBlocks(message: AlertMessage) {
  const { alert } = message;
  const headline = `${HEADLINE[message.event] ?? message.event}: ${alert.rule}`;
  const facts = [
    `*Model*\n${alert.model} (${alert.environment})`,
    `*Severity*\n${alert.severity}`,
    `*Signal*\n${alert.signal}`,
    `*Value*\n${formatNumber(alert.value)} ${alert.comparator} ${formatNumber(alert.threshold)} (${alert.samples} samples)`,
  ];
  return {
    text: `${headline} — ${alert.model} ${alert.signal} ${formatNumber(alert.value)} ${alert.comparator} ${formatNumber(alert.threshold)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline.slice(0, 150) } },
      { type: 'section', fields: facts.map((text) => ({ type: 'mrkdwn', text })) },
      ...(alert.comment ? [{ type: 'section', text: { type: 'mrkdwn', text: `> ${alert.comment}` } }] : []),
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in ModelDeck' }, url: alert.url }],
      },
    ],
  };
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

export const slack: ChannelKind = {
  async send(_channel, secret, message) {
    if (!secret) throw new Error('The channel has no Slack webhook URL; create it again.');
    await postJsonOrThrow(secret, JSON.stringify(slackBlocks(message)), {});
  },
  describeTarget: () => 'Slack incoming webhook',
};
