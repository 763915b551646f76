import 'server-only';
import { AppError } from '@/lib/errors';
import type { RequestContext } from '@/lib/server/context';
import { readJsonBody } from '@/lib/server/http/read-json-body';
import { validationError } from '@/lib/server/http/problem';
import { ZRunFromUri } from '@/lib/validation/batch';
import { createBatchJob, formatNamed, uploadInput } from './create-batch-job';
import { openInputUri } from './open-input-uri';

/**
 * A one-off run: a batch job of kind `one_off` over an uploaded dataset or one read from a
 * URI (JSON body `{inputUri, format}`), with label metrics when the rows carry labels.
 */
export async function createRun(
  ctx: RequestContext,
  options: { model: string; version: number; request: Request; query: { environment?: string | undefined; label?: string | undefined } },
) {
  const type = (options.request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    const parsed = ZRunFromUri.safeParse(await readJsonBody(options.request));
    if (!parsed.success) throw validationError(parsed.error, 'body');
    const { inputUri, format, environment, label } = parsed.data;
    const stream = await openInputUri(inputUri).catch((error: unknown) => {
      if (error instanceof AppError) throw error;
      throw new AppError(422, 'bad_input_uri', `Cannot read ${inputUri}: ${(error as Error).message}`);
    });
    return createBatchJob(ctx, {
      model: options.model,
      version: options.version,
      kind: 'one_off',
      input: { stream, format: formatNamed(format), gzip: inputUri.endsWith('.gz'), source: inputUri },
      environment: environment ?? options.query.environment,
      labelColumn: label ?? options.query.label,
    });
  }
  return createBatchJob(ctx, {
    model: options.model,
    version: options.version,
    kind: 'one_off',
    input: uploadInput(options.request.headers, options.request.body),
    environment: options.query.environment,
    labelColumn: options.query.label,
  });
}
