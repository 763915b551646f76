/** The Content-Type and Content-Encoding a file's name implies, or null for a name we cannot score. */
export function uploadHeaders(fileName: string): { contentType: string; gzip: boolean } | null {
  const lower = fileName.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  if (base.endsWith('.csv')) return { contentType: 'text/csv', gzip };
  if (base.endsWith('.ndjson') || base.endsWith('.jsonl')) return { contentType: 'application/x-ndjson', gzip };
  return null;
}

/**
 * Sends a file as the raw request body with XMLHttpRequest, the one browser API that reports
 * upload progress; the browser streams the file from disk. Resolves with the status and the
 * parsed JSON answer (problem+json on errors).
 */
export function uploadFile(
  url: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: { id?: string; detail?: string; title?: string } }> {
  const headers = uploadHeaders(file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (headers) {
      xhr.setRequestHeader('content-type', headers.contentType);
      // The browser sends the .gz bytes as they are; the server inflates them.
      if (headers.gzip) xhr.setRequestHeader('content-encoding', 'gzip');
    }
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: { id?: string; detail?: string; title?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        body = { detail: `The server answered ${xhr.status}.` };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('The upload did not reach the server; check your connection and try again.'));
    xhr.send(file);
  });
}
