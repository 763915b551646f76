import 'server-only';
import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { unprocessable } from '@/lib/errors';
import { getOutbound } from '@/lib/server/net/outbound-request';
import { outboundUrlProblem, outboundPolicy } from '@/lib/server/net/outbound-url';

/** BATCH_INPUT_DIRS: the directories (separated by ":") file:// inputs may be read from; none by default. */
export function allowedInputDirs(): string[] {
  return (process.env.BATCH_INPUT_DIRS ?? '')
    .split(':')
    .map((dir) => dir.trim())
    .filter(Boolean)
    .map((dir) => path.resolve(dir));
}

/** Why the URI cannot be an input (scheme, directory, outbound policy), or null. Checked when a schedule or run is saved. */
export function inputUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'Not a URI; use file:///path/in/an/allowed/dir.csv or https://…';
  }
  if (url.protocol === 'file:') {
    const dirs = allowedInputDirs();
    if (dirs.length === 0) return 'file:// inputs are off; an admin allows directories with BATCH_INPUT_DIRS.';
    const file = path.resolve(fileURLToPath(url));
    return dirs.some((dir) => file.startsWith(dir + path.sep)) ? null : `${file} is not under BATCH_INPUT_DIRS (${dirs.join(', ')}).`;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return outboundUrlProblem(uri, outboundPolicy());
  return `The scheme ${url.protocol} is not supported; use file:// or http(s)://.`;
}

/**
 * Opens an input URI for streaming. A file is resolved through symlinks before the
 * directory check, so a link cannot lead outside BATCH_INPUT_DIRS; http(s) goes through the
 * outbound address policy (DNS answers checked per connection, no redirects).
 */
export async function openInputUri(uri: string): Promise<Readable> {
  const problem = inputUriProblem(uri);
  if (problem) throw unprocessable(problem, { inputUri: [problem] }, 'bad_input_uri');
  const url = new URL(uri);
  if (url.protocol === 'file:') {
    const file = await realpath(fileURLToPath(url)).catch(() => {
      throw unprocessable(`${fileURLToPath(url)} does not exist.`, { inputUri: ['No such file.'] }, 'bad_input_uri');
    });
    const dirs = await Promise.all(allowedInputDirs().map((dir) => realpath(dir).catch(() => dir)));
    if (!dirs.some((dir) => file.startsWith(dir + path.sep))) {
      throw unprocessable(`${file} is not under BATCH_INPUT_DIRS.`, { inputUri: ['Outside the allowed directories.'] }, 'bad_input_uri');
    }
    return createReadStream(file);
  }
  return getOutbound(uri, { timeoutMs: 10 * 60_000, policy: outboundPolicy() });
}
