import { Markdown } from '@/components/registry/markdown';
import { PageHeader } from '@/components/ui/page-header';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';

export const metadata = { title: 'API reference' };

interface Operation {
  tags: string[];
  summary: string;
  description?: string;
  'x-permission'?: string;
  security: unknown[];
  parameters: { name: string; in: string; required: boolean; description?: string; schema: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

export default async function ApiReferencePage() {
  await pageActorOrRedirect('/docs/api');
  const document = buildOpenApiDocument();
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation: operation as Operation })),
  );
  const tags = [...new Set(operations.map((o) => o.operation.tags[0] ?? 'Other'))];

  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
          </>
        }
      />
      {/* OpenAPI descriptions are CommonMark (backticks for code), so they are rendered, not printed. */}
      <div className="api-intro">
        <Markdown source={document.info.description} label="About the API" />
      </div>
      <nav className="panel" aria-label="API sections">
        {tags.map((tag) => (
          <a key={tag} href={`#${slug(tag)}`} className="badge">
            {tag}
          </a>
        ))}
      </nav>
      {tags.map((tag) => (
        <section key={tag} className="panel" id={slug(tag)} aria-labelledby={`${slug(tag)}-heading`}>
          <h2 id={`${slug(tag)}-heading`}>{tag}</h2>
          {operations
            .filter((o) => (o.operation.tags[0] ?? 'Other') === tag)
            .map(({ path, method, operation }) => (
              <article key={`${method} ${path}`} className="endpoint">
                <div>
                  <span className={`method ${method}`}>{method}</span> <code>{path}</code>
                </div>
                <p>{operation.summary}</p>
                {operation.description ? <Markdown source={operation.description} label={`About ${method} ${path}`} /> : null}
                <p className="muted">
                  {operation.security.length === 0 ? 'No credentials needed.' : 'Session or Bearer token.'}
                  {operation['x-permission'] ? <> Needs <code>{operation['x-permission']}</code>.</> : null}
                </p>
                {operation.parameters.length > 0 ? (
                  <div className="table-wrap">
                    <table className="table">
                      <thead>
                        <tr>
                          <th scope="col">Parameter</th>
                          <th scope="col">In</th>
                          <th scope="col">Schema</th>
                        </tr>
                      </thead>
                      <tbody>
                        {operation.parameters.map((p) => (
                          <tr key={`${p.in}-${p.name}`}>
                            <td className="mono">
                              {p.name}
                              {p.required ? ' *' : ''}
                            </td>
                            <td>{p.in}</td>
                            <td>
                              <code>{JSON.stringify(p.schema)}</code>
                              {p.description ? <Markdown source={p.description} label={`About ${p.name}`} /> : null}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : null}
                {operation.requestBody ? (
                  <details>
                    <summary>Request body (application/json)</summary>
                    <pre>{JSON.stringify(operation.requestBody.content['application/json']?.schema, null, 2)}</pre>
                  </details>
                ) : null}
                <details>
                  <summary>Responses: {Object.keys(operation.responses).join(', ')}</summary>
                  <ul>
                    {Object.entries(operation.responses).map(([status, response]) => (
                      <li key={status}>
                        <strong>{status}</strong> {response.description}
                        {response.content ? <span className="muted"> ({Object.keys(response.content).join(', ')})</span> : null}
                      </li>
                    ))}
                  </ul>
                </details>
              </article>
            ))}
        </section>
      ))}
    </>
  );
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
