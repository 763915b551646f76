import Link from 'next/link';

/** Links from a version page to the pages that run it: Try it (in the browser) and the deployment options. */
export function VersionToolLinks(props: { model: string; version: number }) {
  const base = `/models/${encodeURIComponent(props.model)}/versions/${props.version}`;
  return (
    <nav className="small" aria-label={`Tools for v${props.version}`}>
      {/* A full page load, not a client-side navigation: the document's CSP is fixed when it loads,
          and only the Try-it page's allows compiling WebAssembly (lib/security/headers.ts). */}
      <a href={`${base}/try`}>Try it</a> · <Link href={`${base}/deployment`}>Deployment options</Link>
    </nav>
  );
}
