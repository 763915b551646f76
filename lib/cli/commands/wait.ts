import { parseArgs } from 'node:util';
import { apiClientFromEnv, type ApiClient } from './api-client';
import { EXIT, type CommandIo } from './io';
import { reportApiError } from './register';

export const WAIT_USAGE = `Usage: modeldeck wait <release id> [--timeout <seconds>] [--interval <seconds>]
Polls the release until it is live (exit 0), ends without going live (rejected, cancelled,
failed: exit 1) or --timeout passes (default 900 s: exit 3).`;

export const WAIT_OPTIONS = {
  timeout: { type: 'string' },
  interval: { type: 'string' },
} as const;

interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
}

export function parseWaitOptions(values: { timeout?: string; interval?: string }): WaitOptions | { error: string } {
  const timeout = Number(values.timeout ?? 900);
  const interval = Number(values.interval ?? 5);
  if (!Number.isFinite(timeout) || timeout < 0) return { error: '--timeout must be a number of seconds.' };
  if (!Number.isFinite(interval) || interval <= 0) return { error: '--interval must be a positive number of seconds.' };
  return { timeoutMs: timeout * 1000, intervalMs: interval * 1000 };
}

export async function waitCommand(args: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: WAIT_OPTIONS });
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${WAIT_USAGE}\n`);
    return EXIT.usage;
  }
  const [id] = parsed.positionals;
  const options = parseWaitOptions(parsed.values);
  if (!id || parsed.positionals.length > 1 || 'error' in options) {
    io.stderr(`${'error' in options ? `${options.error}\n` : ''}${WAIT_USAGE}\n`);
    return EXIT.usage;
  }
  const client = apiClientFromEnv(io);
  if ('error' in client) {
    io.stderr(`${client.error}\n`);
    return EXIT.usage;
  }
  try {
    return await waitForRelease(client, id, options, io);
  } catch (error) {
    return reportApiError(error, io);
  }
}

const ENDED_WITHOUT_GOING_LIVE = new Set(['rejected', 'cancelled', 'failed']);

/** Polls GET /api/v1/promotions/{id}; prints each status change on stderr and the final status on stdout. */
export async function waitForRelease(client: ApiClient, id: string, options: WaitOptions, io: CommandIo): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  let last: string | undefined;
  for (;;) {
    const release = await client.request<{ status: string; liveAt: string | null; statusReason: string | null; environment: string }>(
      'GET',
      `/api/v1/promotions/${encodeURIComponent(id)}`,
    );
    if (release.status !== last) {
      io.stderr(`Release ${id}: ${release.status}${release.statusReason ? ` (${release.statusReason})` : ''}\n`);
      last = release.status;
    }
    // A release that went live and was since replaced or rolled back did go live: the job's goal was met.
    if (release.liveAt) {
      io.stdout(`${release.status}\n`);
      return EXIT.ok;
    }
    if (ENDED_WITHOUT_GOING_LIVE.has(release.status)) {
      io.stdout(`${release.status}\n`);
      return EXIT.failed;
    }
    if (Date.now() >= deadline) {
      io.stderr(`Gave up waiting after ${Math.round(options.timeoutMs / 1000)} s: release ${id} is still ${release.status}.\n`);
      io.stdout(`${release.status}\n`);
      return EXIT.timeout;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
