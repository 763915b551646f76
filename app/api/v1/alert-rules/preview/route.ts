import { previewAlertRule } from '@/lib/api/endpoints/alerts';
import { previewRule } from '@/lib/server/alerts/preview-rule';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const POST = route(previewAlertRule, async ({ body }) => previewRule(body));

export const { GET, PUT, PATCH, DELETE } = otherMethods('/api/v1/alert-rules/preview');
