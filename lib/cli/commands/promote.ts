import { parseArgs } from 'node:util';
import { apiClientFromEnv } from './api-client';
import { EXIT, type CommandIo } from './io';
import { reportApiError } from './register';
import { waitForRelease, WAIT_OPTIONS, parseWaitOptions } from './wait';

export const PROMOTE_USAGE = `Usage: modeldeck promote --model <name> --version <n> --environment <env> [--note <text>]
         [--wait [--timeout <seconds>] [--interval <seconds>]]
Requests the promotion and prints the release id. Gates are evaluated at once: a failing
gate exits 4. With --wait, behaves like \`modeldeck wait\` afterwards.`;

export async function promoteCommand(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        version: { type: 'string' },
        environment: { type: 'string' },
        note: { type: 'string' },
        wait: { type: 'boolean' },
        ...WAIT_OPTIONS,
      },
    }));
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${PROMOTE_USAGE}\n`);
    return EXIT.usage;
  }
  const version = Number(values.version);
  const wait = parseWaitOptions(values);
  if (!values.model || !values.environment || !Number.isInteger(version) || version < 1 || 'error' in wait) {
    io.stderr(`${'error' in wait ? `${wait.error}\n` : ''}${PROMOTE_USAGE}\n`);
    return EXIT.usage;
  }
  const client = apiClientFromEnv(io);
  if ('error' in client) {
    io.stderr(`${client.error}\n`);
    return EXIT.usage;
  }
  try {
    const release = await client.request<{ id: string; status: string }>(
      'POST',
      `/api/v1/models/${encodeURIComponent(values.model)}/versions/${version}/promotions`,
      { json: { environment: values.environment, ...(values.note ? { note: values.note } : {}) } },
    );
    io.stderr(`Requested ${values.model} v${version} → ${values.environment}: release ${release.id} is ${release.status}.\n`);
    io.stdout(`${release.id}\n`);
    if (!values.wait) return EXIT.ok;
    return await waitForRelease(client, release.id, wait, io);
  } catch (error) {
    return reportApiError(error, io);
  }
}
