import 'server-only';

/** Absolute link for messages leaving ModelDeck (NEXTAUTH_URL when set, else this server's port). */
export function alertUrl(alertId: string | null): string {
  const base = (process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? '3000'}`).replace(/\/+$/, '');
  return alertId ? `${base}/alerts/${alertId}` : `${base}/alerts`;
}
