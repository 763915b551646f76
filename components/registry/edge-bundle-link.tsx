/**
 * The signed edge bundle of a version (GET …/edge-bundle), for devices that run the model
 * offline; only ONNX artifacts stored in ModelDeck can be bundled, and the page says so.
 */
export function EdgeBundleLink(props: { model: string; version: number; format: string | null; stored: boolean }) {
  if (!props.stored) return null;
  if (props.format && props.format !== 'onnx') {
    return <span className="muted"> · Edge bundles hold ONNX models only.</span>;
  }
  const href = `/api/v1/models/${encodeURIComponent(props.model)}/versions/${props.version}/edge-bundle`;
  return (
    <>
      {' · '}
      <a href={href} download title="A .tar.gz with model.onnx and a signed manifest; check it with npx modeldeck verify-bundle">
        Download edge bundle
      </a>
    </>
  );
}
