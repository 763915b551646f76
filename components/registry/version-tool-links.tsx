import Link from 'next/link';

/** Links from a version page to the pages that run it: Try it (in the browser) and the deployment options. */
export function VersionToolLinks(props: { model: string; version: number }) {
  const base = `/models/${encodeURIComponent(props.model)}/versions/${props.version}`;
  return (
    <nav className="small" aria-label={`Tools for v${props.version}`}>
      <Link href={`${base}/try`}>Try it</Link> · <Link href={`${base}/deployment`}>Deployment options</Link>
    </nav>
  );
}
