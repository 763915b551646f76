import { downloadBatchOutput } from '@/lib/api/endpoints/batch';
import { openBatchOutput } from '@/lib/server/batch/get-batch-job';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(downloadBatchOutput, async ({ params }) => {
  const output = await openBatchOutput(params.id);
  return new Response(output.stream, {
    headers: {
      'content-type': output.contentType,
      'content-length': String(output.size),
      'content-disposition': `attachment; filename="${output.filename}"`,
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/batch-jobs/{id}/output');
