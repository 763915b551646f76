import { createAlertRule, listAlertRules } from '@/lib/api/endpoints/alerts';
import { createRule } from '@/lib/server/alerts/create-rule';
import { listRules } from '@/lib/server/alerts/list-rules';
import { serializeRule } from '@/lib/server/alerts/serialize-rule';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(listAlertRules, async ({ query }) => ({
  items: (await listRules(query.model ? { model: query.model } : {})).map(serializeRule),
}));

export const POST = route(createAlertRule, async ({ body, ctx }) => serializeRule(await createRule(ctx, body)));

export const { PUT, PATCH, DELETE } = otherMethods('/api/v1/alert-rules');
