import Link from 'next/link';
import { LiveBadges } from '@/components/registry/live-badges';
import { EmptyState } from '@/components/ui/empty-state';
import { Forbidden } from '@/components/ui/forbidden';
import { PageHeader } from '@/components/ui/page-header';
import { pageActorOrRedirect } from '@/lib/server/auth/page-guard';
import { listModels, modelFacets } from '@/lib/server/registry/list-models';
import { ZListModelsQuery, ZModelTask } from '@/lib/validation/registry';
import { parseListSearchParams, type PageSearchParams } from '@/lib/server/http/search-params';
import { QueryIssues } from '@/components/ui/query-issues';
import { DataTable } from '@/components/ui/data-table';

export const metadata = { title: 'Models' };

const FILTERS = ['q', 'tag', 'team', 'task'] as const;

export default async function ModelsPage({ searchParams }: { searchParams: PageSearchParams }) {
  const { allowed } = await pageActorOrRedirect('/models', 'models:read');
  if (!allowed) return <Forbidden permission="models:read" />;

  const { raw, query, filters: filterParams, issues } = await parseListSearchParams(searchParams, ZListModelsQuery, FILTERS);
  const [page, facets] = await Promise.all([listModels(query), modelFacets()]);
  const filtered = filterParams.size > 0 || Boolean(query.cursor);

  return (
    <>
      <PageHeader title="Models" description="Every registered model, and which version is live in each environment." />
      {/* The URL is the one source of the filter state: keyed on it, the form is rebuilt on every
          client-side navigation (tag chip, Clear, paging), so its defaults never go stale. */}
      <form key={filterParams.toString()} className="panel inline" method="get" role="search" aria-label="Filter models">
        <div className="field">
          <label htmlFor="f-q">Search</label>
          <input id="f-q" name="q" type="search" defaultValue={raw.q} placeholder="name or description" maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="f-tag">Tag</label>
          <select id="f-tag" name="tag" defaultValue={raw.tag ?? ''}>
            <option value="">Any tag</option>
            {withCurrent(facets.tags, raw.tag).map((tag) => (
              <option key={tag} value={tag}>{tag}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-team">Team</label>
          <select id="f-team" name="team" defaultValue={raw.team ?? ''}>
            <option value="">Any team</option>
            {withCurrent(facets.teams, raw.team).map((team) => (
              <option key={team} value={team}>{team}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-task">Task</label>
          <select id="f-task" name="task" defaultValue={raw.task ?? ''}>
            <option value="">Any task</option>
            {ZModelTask.options.map((task) => (
              <option key={task} value={task}>{task}</option>
            ))}
          </select>
        </div>
        <button className="btn primary" type="submit">Filter</button>
        <Link className="btn" href="/models">Clear</Link>
      </form>
      <QueryIssues issues={issues} />
      {page.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No models match." >
            <p>Try another search or <Link href="/models">clear the filters</Link>.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No models registered yet.">
            <p>
              Register one over the API: <code>POST /api/v1/models</code> (see the <Link href="/docs/api">API reference</Link>).
            </p>
          </EmptyState>
        )
      ) : (
        <DataTable label="Models" columns={['Name', 'Task', 'Team', 'Tags', 'Versions', 'Live']}>
          {page.items.map((model) => (
            <tr key={model.name} data-testid={`model-${model.name}`}>
              <td>
                <Link href={`/models/${model.name}`}><strong>{model.name}</strong></Link>
                {model.description ? <div className="muted clamp">{model.description}</div> : null}
              </td>
              <td>{model.task}</td>
              <td>{model.team ?? <span className="muted">—</span>}</td>
              <td>
                {model.tags.length === 0 ? <span className="muted">—</span> : model.tags.map((tag) => (
                  <Link key={tag} className="badge tag" href={withFilter(filterParams, 'tag', tag)}>{tag}</Link>
                ))}
              </td>
              <td>{model.versionCount}</td>
              <td><LiveBadges live={model.live} /></td>
            </tr>
          ))}
        </DataTable>
      )}
      {page.nextCursor ? (
        <p>
          <Link className="btn" href={`/models?${new URLSearchParams([...filterParams, ['cursor', page.nextCursor]])}`}>
            Next page →
          </Link>
        </p>
      ) : null}
    </>
  );
}

/** A value in the URL that the facets no longer list still shows as selected. */
function withCurrent(values: string[], current: string | undefined): string[] {
  return current && !values.includes(current) ? [...values, current] : values;
}

/** The current filters with one of them set (paging starts over). */
function withFilter(filters: URLSearchParams, name: string, value: string): string {
  const next = new URLSearchParams(filters);
  next.delete('cursor');
  next.set(name, value);
  return `/models?${next}`;
}
