import Link from 'next/link';
import { PageHeader } from '@/components/ui/page-header';
import { ROLE_DESCRIPTIONS } from '@/lib/auth/permissions';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';

export default async function HomePage() {
  const { actor } = await pageActorOrRedirect('/');
  return (
    <>
      <PageHeader title={`Welcome, ${actor.name}`} description="ModelDeck takes model versions from registration to production, with evidence and sign-off at every gate." />
      <section className="panel" aria-labelledby="roles-heading">
        <h2 id="roles-heading">Your roles</h2>
        <ul>
          {actor.roles.map((role) => (
            <li key={role}>
              <strong>{role}</strong>: {ROLE_DESCRIPTIONS[role]}
            </li>
          ))}
        </ul>
        <p className="muted">
          Automate with the <Link href="/docs/api">REST API</Link> using a <Link href="/settings/tokens">personal API token</Link>.
        </p>
      </section>
    </>
  );
}
