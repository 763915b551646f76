import 'server-only';
import type { AlertSignal } from './types';

/**
 * Signals that can be evaluated in this build, keyed by `signal.type`. Every signal type in the
 * API (lib/validation/alerts.ts) reads monitoring rollups, which are not part of this build yet:
 * rules on them are stored and shown, and start being evaluated when their file is listed here.
 * Tests add signals of their own to this map.
 */
export const SIGNAL_REGISTRY: Map<string, AlertSignal> = new Map();

export function signalFor(type: string): AlertSignal | undefined {
  return SIGNAL_REGISTRY.get(type);
}
