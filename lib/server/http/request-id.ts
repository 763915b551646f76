import { safeRequestId } from '@/lib/api/method-not-allowed';

export function requestIdFrom(headers: Pick<Headers, 'get'> | null | undefined): string {
  return safeRequestId(headers?.get('x-request-id'));
}
