/** The invalid parts of a list page's query string (the page fell back to defaults for them). */
export function QueryIssues({ issues }: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  if (issues.length === 0) return null;
  return (
    <div className="notice danger" role="alert">
      {issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; ')}
    </div>
  );
}
