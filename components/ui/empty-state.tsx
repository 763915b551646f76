import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="panel empty" role="status">
      <strong>{title}</strong>
      {children}
    </div>
  );
}
