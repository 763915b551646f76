import 'server-only';
import nodemailer from 'nodemailer';
import type { ChannelKind } from './types';

/** SMTP settings from the environment; null when e-mail is not configured. */
export function smtpSettings() {
  const host = process.env.SMTP_HOST?.trim();
  if (!host) return null;
  const secure = process.env.SMTP_SECURE === 'true';
  return {
    host,
    port: Number(process.env.SMTP_PORT || (secure ? 465 : 587)),
    secure,
    auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASSWORD ?? '' } : undefined,
    from: process.env.SMTP_FROM?.trim() || 'ModelDeck <modeldeck@localhost>',
  };
}

export const email: ChannelKind = {
  async send(channel, _secret, message) {
    const settings = smtpSettings();
    if (!settings) throw new Error('E-mail is not configured: set SMTP_HOST (and SMTP_PORT, SMTP_FROM …).');
    const transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.auth,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 10_000,
    });
    const { alert } = message;
    const what = message.event === 'channel.test' ? 'Test message' : message.event.replace('alert.', 'Alert ');
    try {
      await transport.sendMail({
        from: settings.from,
        to: recipientsOf(channel.config),
        subject: `[ModelDeck ${alert.severity}] ${what}: ${alert.rule} (${alert.model}, ${alert.environment})`,
        text: [
          `${what}: ${alert.rule}`,
          `Model: ${alert.model} in ${alert.environment}`,
          `Signal: ${alert.signal}`,
          `Value: ${alert.value} ${alert.comparator} ${alert.threshold} over ${alert.samples} samples`,
          ...(alert.comment ? [`Comment: ${alert.comment}`] : []),
          '',
          alert.url,
        ].join('\n'),
        headers: { 'X-ModelDeck-Notification': message.id },
      });
    } catch (caught) {
      throw new Error(`SMTP ${settings.host}:${settings.port}: ${caught instanceof Error ? caught.message : String(caught)}`);
    } finally {
      transport.close();
    }
  },
  describeTarget: (channel) => recipientsOf(channel.config).join(', '),
};

function recipientsOf(config: unknown): string[] {
  const to = (config as { to?: unknown }).to;
  return Array.isArray(to) ? to.map(String) : [];
}
