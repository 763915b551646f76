import { PageHeader } from './page-header';

/** Shown (with HTTP 200 page chrome) when a signed-in user opens a page their roles do not allow. */
export function Forbidden({ permission }: { permission: string }) {
  return (
    <>
      <PageHeader title="Not allowed" />
      <div className="notice danger" role="alert">
        Your roles do not include the <code>{permission}</code> permission needed for this page. Ask an admin if you need access.
      </div>
    </>
  );
}
