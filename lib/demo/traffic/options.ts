import { DEMO_DATASETS, type FeatureShift } from '../datasets';

/** A shift for `--shift`; without `model` it applies to every live model that has the feature. */
export interface TrafficShift extends FeatureShift {
  model?: string;
}

export interface TrafficOptions {
  /** Model server base URL, without a trailing slash. */
  server: string;
  environment: string;
  /** Requests per second, over all models together. */
  rate: number;
  /** Rows per request (the `N` of shape [N, F]). */
  batch: number;
  /** Stop after this many seconds; null runs until Ctrl-C. */
  durationSeconds: number | null;
  /** Stop after this many requests; null for no limit. */
  maxRequests: number | null;
  shifts: TrafficShift[];
  seed: number;
  statusEverySeconds: number;
  labels: {
    /** Dashboard base URL the labels go to, without a trailing slash. */
    dashboard: string;
    delaySeconds: number;
    /** Share of answered rows labelled, 0–1; 0 sends no labels. */
    share: number;
  };
}

export class UsageError extends Error {}

export const TRAFFIC_USAGE = `Usage: npm run demo:traffic -- [options]

Sends Open Inference Protocol v2 requests with synthetic features to every demo model live in
an environment of the local model server, and prints a status line every 5 s.

  --rate <n>            requests per second over all models (default 20)
  --duration <t>        stop after t (e.g. 90, 30s, 5m, 1h; default: until Ctrl-C)
  --count <n>           stop after n requests
  --shift <spec>        shift a feature: feature=amount,factor=1.5[,offset=0][,model=fraud-detector]
                        (value × factor + offset, clamped to the feature's range; repeatable)
  --batch <n>           rows per request (default 1)
  --environment <env>   environment to send to (default production)
  --server <url>        model server (default MODEL_SERVER_URL, else 127.0.0.1 on
                        MODEL_SERVER_PORT, 8090 unless set)
  --seed <n>            seed of the synthetic data (default 1)
  --label-delay <t>     send each row's ground-truth label this long after its answer
                        (default 30s)
  --label-share <x>     share of rows labelled, 0 to 1 (default 1.0; 0 sends no labels)
  --dashboard <url>     where labels go (default MODELDECK_URL, else 127.0.0.1 on PORT,
                        3000 unless set)
  --help                this text

The management token comes from MODEL_SERVER_TOKEN or, in embedded mode, from
modelServerToken in .data/secrets.json (MODELDECK_DATA_DIR). Labels are sent with
MODELDECK_TOKEN (an engineer's API token) or, in embedded mode, the model server's reporting
token (modelServerReportToken in the same file).`;

/** Where `npm start` runs the embedded model server (it reads the same MODEL_SERVER_PORT). */
const defaultServer = (env: Record<string, string | undefined>) => `http://127.0.0.1:${env.MODEL_SERVER_PORT?.trim() || '8090'}`;

function positiveNumber(flag: string, value: string, integer = false): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'whole ' : ''}number, got "${value}".`);
  }
  return number;
}

/** "90" and "90s" are seconds; "5m", "1h" and "500ms" too. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!(seconds > 0)) throw new UsageError(`--duration must look like 90, 30s, 5m or 1h, got "${value}".`);
  return seconds;
}

/** "feature=amount,factor=1.5[,offset=2][,model=fraud-detector]" */
export function parseShift(spec: string): TrafficShift {
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const [key, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!key || value === undefined || value === '' || rest.length > 0) throw new UsageError(`--shift "${spec}": expected key=value pairs separated by commas.`);
    if (!['feature', 'factor', 'offset', 'model'].includes(key)) throw new UsageError(`--shift "${spec}": unknown key "${key}" (use feature, factor, offset, model).`);
    fields.set(key, value);
  }
  const feature = fields.get('feature');
  if (!feature) throw new UsageError(`--shift "${spec}": feature=… is required.`);
  const number = (key: 'factor' | 'offset') => {
    const raw = fields.get(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new UsageError(`--shift "${spec}": ${key} must be a number, got "${raw}".`);
    return value;
  };
  const shift: TrafficShift = { feature };
  const factor = number('factor');
  const offset = number('offset');
  if (factor === undefined && offset === undefined) throw new UsageError(`--shift "${spec}": give factor=… and/or offset=….`);
  if (factor !== undefined) shift.factor = factor;
  if (offset !== undefined) shift.offset = offset;
  const model = fields.get('model');
  if (model !== undefined) {
    const dataset = DEMO_DATASETS[model];
    if (!dataset) throw new UsageError(`--shift "${spec}": no demo model "${model}" (demo models: ${Object.keys(DEMO_DATASETS).join(', ')}).`);
    if (!dataset.features.some((f) => f.name === feature)) {
      throw new UsageError(`--shift "${spec}": ${model} has no feature "${feature}"; its features are ${dataset.features.map((f) => f.name).join(', ')}.`);
    }
    shift.model = model;
  } else if (!Object.values(DEMO_DATASETS).some((d) => d.features.some((f) => f.name === feature))) {
    const all = Object.values(DEMO_DATASETS).map((d) => `${d.model}: ${d.features.map((f) => f.name).join(', ')}`);
    throw new UsageError(`--shift "${spec}": no demo model has a feature "${feature}". Features by model — ${all.join('; ')}.`);
  }
  return shift;
}

/** Parses the command line; returns null when --help was asked for. */
export function parseTrafficArgs(argv: readonly string[], env: Record<string, string | undefined>): TrafficOptions | null {
  const options: TrafficOptions = {
    server: (env.MODEL_SERVER_URL || defaultServer(env)).replace(/\/+$/, ''),
    environment: 'production',
    rate: 20,
    batch: 1,
    durationSeconds: null,
    maxRequests: null,
    shifts: [],
    seed: 1,
    statusEverySeconds: 5,
    labels: {
      dashboard: (env.MODELDECK_URL || `http://127.0.0.1:${env.PORT?.trim() || '3000'}`).replace(/\/+$/, ''),
      delaySeconds: 30,
      share: 1,
    },
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return null;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = () => {
      if (eq > 0) return arg.slice(eq + 1);
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value.`);
      return value;
    };
    switch (flag) {
      case '--rate':
        options.rate = positiveNumber(flag, takeValue());
        break;
      case '--batch':
        options.batch = positiveNumber(flag, takeValue(), true);
        break;
      case '--duration':
        options.durationSeconds = parseDuration(takeValue());
        break;
      case '--count':
        options.maxRequests = positiveNumber(flag, takeValue(), true);
        break;
      case '--shift':
        options.shifts.push(parseShift(takeValue()));
        break;
      case '--environment': {
        const value = takeValue();
        if (!/^[a-z0-9][a-z0-9-]*$/.test(value)) throw new UsageError(`--environment must be an environment key like production, got "${value}".`);
        options.environment = value;
        break;
      }
      case '--server': {
        const value = takeValue();
        if (!/^https?:\/\/[^/]/.test(value)) throw new UsageError(`--server must be an http(s) URL, got "${value}".`);
        options.server = value.replace(/\/+$/, '');
        break;
      }
      case '--seed':
        options.seed = positiveNumber(flag, takeValue(), true);
        break;
      case '--label-delay': {
        const value = takeValue();
        try {
          options.labels.delaySeconds = parseDuration(value);
        } catch {
          throw new UsageError(`--label-delay must look like 90, 30s, 5m or 1h, got "${value}".`);
        }
        break;
      }
      case '--label-share': {
        const value = takeValue();
        const share = Number(value);
        if (value.trim() === '' || !(share >= 0 && share <= 1)) throw new UsageError(`--label-share must be a number from 0 to 1, got "${value}".`);
        options.labels.share = share;
        break;
      }
      case '--dashboard': {
        const value = takeValue();
        if (!/^https?:\/\/[^/]/.test(value)) throw new UsageError(`--dashboard must be an http(s) URL, got "${value}".`);
        options.labels.dashboard = value.replace(/\/+$/, '');
        break;
      }
      default:
        throw new UsageError(`Unknown option "${arg}".`);
    }
  }
  return options;
}
