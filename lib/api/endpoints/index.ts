import type { Endpoint } from '../contract';
import * as alerts from './alerts';
import * as audit from './audit';
import * as decisions from './decisions';
import * as batch from './batch';
import * as deployments from './deployments';
import * as edge from './edge';
import * as environments from './environments';
import * as monitoring from './monitoring';
import * as registry from './registry';
import * as releases from './releases';
import * as retraining from './retraining';
import * as system from './system';
import * as tokens from './tokens';
import * as users from './users';
import * as webhooks from './webhooks';

/** Every REST endpoint, in the order the API reference lists them. */
export const allEndpoints: Endpoint[] = [
  ...Object.values(system),
  ...Object.values(registry),
  ...Object.values(releases),
  ...Object.values(edge),
  ...Object.values(batch),
  ...Object.values(monitoring),
  ...Object.values(environments),
  ...Object.values(deployments),
  ...Object.values(decisions),
  ...Object.values(alerts),
  ...Object.values(retraining),
  ...Object.values(webhooks),
  ...Object.values(users),
  ...Object.values(tokens),
  ...Object.values(audit),
];
