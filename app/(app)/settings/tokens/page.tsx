import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { RevokeTokenButton } from '@/components/tokens/revoke-token-button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listApiTokens } from '@/lib/server/tokens/list-api-tokens';

export const metadata = { title: 'API tokens' };

export default async function TokensPage() {
  const { actor } = await pageActorOrRedirect('/settings/tokens');
  const tokens = await listApiTokens(actor.id);
  return (
    <>
      <PageHeader
        title="API tokens"
        description={<>Tokens act as you over the REST API: send <code>Authorization: Bearer &lt;token&gt;</code>.</>}
      />
      <section className="panel" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        <CreateTokenForm />
      </section>
      {tokens.length === 0 ? (
        <EmptyState title="You have no API tokens yet.">
          <p>
            Create one above for a script, a training pipeline or the CLI. Its secret is shown once, so copy it
            before you leave the page.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="muted">Status</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id} data-testid={`token-${token.name}`}>
                  <td>{token.name}</td>
                  <td className="mono">{token.prefix}…</td>
                  <td className="nowrap">{token.createdAt.toLocaleString()}</td>
                  <td className="nowrap" data-testid="last-used">
                    {token.lastUsedAt ? token.lastUsedAt.toLocaleString() : <span className="muted">never</span>}
                  </td>
                  <td className="nowrap">{token.expiresAt ? token.expiresAt.toLocaleDateString() : <span className="muted">never</span>}</td>
                  <td>
                    {token.revokedAt ? (
                      <span className="badge danger">revoked</span>
                    ) : (
                      <RevokeTokenButton id={token.id} name={token.name} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
