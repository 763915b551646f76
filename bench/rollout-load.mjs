// The prediction client of bench/rollout.ts, in its own thread so that its request loop and
// the dashboard's job worker do not delay each other (as separate machines would not).
import { parentPort, workerData } from 'node:worker_threads';

const { endpoint, rps } = workerData;
const answers = [];
const inflight = new Set();
let running = true;
parentPort.on('message', (message) => {
  if (message === 'stop') running = false;
});

const start = Date.now();
let sent = 0;
function send() {
  const sentAt = Date.now();
  const request = fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] }),
  })
    .then(async (response) => {
      const body = await response.json();
      answers.push({ sentAt, doneAt: Date.now(), version: body.model_version ?? null, ok: response.ok, error: response.ok ? undefined : `${response.status} ${body.error}` });
    })
    .catch((error) => answers.push({ sentAt, doneAt: Date.now(), version: null, ok: false, error: String(error) }));
  inflight.add(request);
  request.finally(() => inflight.delete(request));
}

// Open loop: every request due by now is sent (a late turn sends a small burst, as many
// independent clients would), then the thread yields so answers and messages are handled.
while (running) {
  const wait = start + (sent * 1000) / rps - Date.now();
  await new Promise((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
  for (let burst = 0; running && burst < 50 && start + (sent * 1000) / rps <= Date.now(); burst++) {
    sent++;
    send();
  }
}
await Promise.all(inflight);
parentPort.postMessage(answers);
