import { deleteAlertRule, getAlertRule, updateAlertRule } from '@/lib/api/endpoints/alerts';
import { deleteRule } from '@/lib/server/alerts/delete-rule';
import { getRuleOrThrow } from '@/lib/server/alerts/get-rule';
import { serializeRule } from '@/lib/server/alerts/serialize-rule';
import { updateRule } from '@/lib/server/alerts/update-rule';
import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { route } from '@/lib/server/http/route';

export const GET = route(getAlertRule, async ({ params }) => serializeRule(await getRuleOrThrow(params.id)));

export const PATCH = route(updateAlertRule, async ({ params, body, ctx }) => serializeRule(await updateRule(ctx, params.id, body)));

export const DELETE = route(deleteAlertRule, async ({ params, ctx }) => deleteRule(ctx, params.id));

export const { POST, PUT } = otherMethods('/api/v1/alert-rules/{id}');
