import Link from 'next/link';
import { Time } from '@/components/ui/time';

export function ModelMeta({ model }: { model: { task: string; team: string | null; tags: string[]; createdAt: string; latestVersion: number | null } }) {
  return (
    <dl className="meta">
      <div>
        <dt>Task</dt>
        <dd>{model.task}</dd>
      </div>
      <div>
        <dt>Team</dt>
        <dd>{model.team ?? <span className="muted">—</span>}</dd>
      </div>
      <div>
        <dt>Tags</dt>
        <dd>
          {model.tags.length === 0 ? <span className="muted">—</span> : model.tags.map((tag) => (
            <Link key={tag} className="badge tag" href={`/models?tag=${encodeURIComponent(tag)}`}>{tag}</Link>
          ))}
        </dd>
      </div>
      <div>
        <dt>Latest version</dt>
        <dd>{model.latestVersion ? `v${model.latestVersion}` : <span className="muted">none</span>}</dd>
      </div>
      <div>
        <dt>Registered</dt>
        <dd><Time value={model.createdAt} /></dd>
      </div>
    </dl>
  );
}
