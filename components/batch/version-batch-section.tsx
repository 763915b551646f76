import { listBatchSchedules } from '@/lib/server/batch/batch-schedules';
import { listBatchJobs } from '@/lib/server/batch/get-batch-job';
import { BatchSection } from './batch-section';

/** The version page's batch section, with its lists read on the server for the first paint. */
export async function VersionBatchSection(props: { model: string; version: number; format: string | null; stored: boolean; canRun: boolean }) {
  const [jobs, runs, schedules] = await Promise.all([
    listBatchJobs({ model: props.model, version: props.version, kind: 'batch' }),
    listBatchJobs({ model: props.model, version: props.version, kind: 'one_off' }),
    listBatchSchedules({ model: props.model, version: props.version }),
  ]);
  const unscorable =
    props.format !== 'onnx'
      ? 'Batch scoring runs ONNX models; this version is not one.'
      : !props.stored
        ? 'Upload the artifact into ModelDeck to score files with this version.'
        : null;
  return (
    <BatchSection
      model={props.model}
      version={props.version}
      canRun={props.canRun}
      unscorable={unscorable}
      initialJobs={jobs.items}
      initialRuns={runs.items}
      initialSchedules={schedules.items}
    />
  );
}
