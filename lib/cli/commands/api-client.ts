import { EXIT, type CommandIo } from './io';

/** A refused or failed API call, carrying the exit code a CI job should see. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  request<T = unknown>(method: string, path: string, options?: { json?: unknown; body?: BodyInit; headers?: Record<string, string> }): Promise<T>;
  baseUrl: string;
}

/** The REST API at MODELDECK_URL, as the user whose token is in MODELDECK_TOKEN. */
export function apiClientFromEnv(io: CommandIo): ApiClient | { error: string } {
  const base = io.env.MODELDECK_URL?.trim();
  const token = io.env.MODELDECK_TOKEN?.trim();
  if (!base) return { error: 'MODELDECK_URL is not set: export the URL of ModelDeck, e.g. https://modeldeck.example.com.' };
  if (!token) return { error: 'MODELDECK_TOKEN is not set: create an API token (Settings → API tokens) and store it as a CI secret.' };
  let baseUrl: string;
  try {
    baseUrl = new URL(base).toString().replace(/\/+$/, '');
  } catch {
    return { error: `MODELDECK_URL is not a URL: ${base}` };
  }
  return {
    baseUrl,
    async request<T>(method: string, path: string, options: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...options.headers };
      let body = options.body;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      }
      let response: Response;
      try {
        response = await fetch(`${baseUrl}${path}`, { method, headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) });
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
        throw new ApiCallError(`Cannot reach ModelDeck at ${baseUrl}${cause}.`, EXIT.unavailable);
      }
      const text = await response.text();
      const parsed = parseJson(text);
      if (response.ok) return parsed as T;
      const problem = (parsed && typeof parsed === 'object' ? parsed : {}) as { detail?: string; code?: string; errors?: Record<string, string[]> };
      const fieldErrors = problem.errors
        ? Object.entries(problem.errors).map(([field, messages]) => `\n  ${field}: ${messages.join(' ')}`).join('')
        : '';
      throw new ApiCallError(
        `${method} ${path} → ${response.status}${problem.code ? ` ${problem.code}` : ''}: ${problem.detail ?? text.slice(0, 300)}${fieldErrors}`,
        response.status >= 500 ? EXIT.unavailable : EXIT.refused,
        response.status,
        problem.code,
      );
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
