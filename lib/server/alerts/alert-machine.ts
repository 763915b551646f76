import { conflict } from '@/lib/errors';

export type AlertStatus = 'firing' | 'acknowledged' | 'resolved';
export type AlertAction = 'acknowledge' | 'resolve' | 'refire';

/**
 * The alert lifecycle: firing → acknowledged → resolved, and firing → resolved. A resolved
 * alert is final (a new incident is a new alert). `refire` is the evaluator seeing the
 * condition again while the alert is open: it keeps the status it has.
 */
const TRANSITIONS: Record<AlertStatus, Partial<Record<AlertAction, AlertStatus>>> = {
  firing: { acknowledge: 'acknowledged', resolve: 'resolved', refire: 'firing' },
  acknowledged: { resolve: 'resolved', refire: 'acknowledged' },
  resolved: {},
};

export const OPEN_STATUSES: AlertStatus[] = ['firing', 'acknowledged'];

export function nextAlertStatus(from: AlertStatus, action: AlertAction): AlertStatus | null {
  return TRANSITIONS[from][action] ?? null;
}

/** The next status, or 409 naming why the action does not apply now. */
export function nextAlertStatusOrThrow(from: AlertStatus, action: AlertAction): AlertStatus {
  const next = nextAlertStatus(from, action);
  if (!next) throw conflict(`This alert is ${from}; it cannot be ${action === 'acknowledge' ? 'acknowledged' : `${action}d`} now.`, 'alert_state');
  return next;
}
