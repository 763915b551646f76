import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { exportDeploymentOptions } from '@/lib/api/endpoints/decisions';
import { decisionMatrixCsv, decisionMatrixMarkdown } from '@/lib/decisions/export';
import { getDecisionMatrix } from '@/lib/server/decisions/get-decision-matrix';
import { route } from '@/lib/server/http/route';

export const GET = route(exportDeploymentOptions, async ({ params, query }) => {
  const { format, ...traffic } = query;
  const matrix = await getDecisionMatrix(params.name, params.version, traffic);
  const csv = format === 'csv';
  return new Response(csv ? decisionMatrixCsv(matrix) : decisionMatrixMarkdown(matrix), {
    headers: {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${matrix.model}-v${matrix.version}-deployment-options.${csv ? 'csv' : 'md'}"`,
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/deployment-options/export');
