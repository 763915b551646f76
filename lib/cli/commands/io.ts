/** What a pipeline command touches outside itself, so tests run it in-process against a real server. */
export interface CommandIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const processIo = (): CommandIo => ({
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
});

/**
 * Exit codes of the pipeline commands (register, promote, wait, verify-bundle), documented
 * in docs/ci.md: a CI job branches on them.
 */
export const EXIT = {
  ok: 0,
  /** The release ended without going live (rejected, cancelled, failed), or a bundle is invalid. */
  failed: 1,
  /** Wrong arguments or settings; nothing was sent. */
  usage: 2,
  /** `wait` gave up: the release is still pending or deploying. */
  timeout: 3,
  /** The server refused the request (4xx: a failing gate, a conflict, no permission …). */
  refused: 4,
  /** The server could not be reached or failed (network error, 5xx). */
  unavailable: 5,
} as const;
