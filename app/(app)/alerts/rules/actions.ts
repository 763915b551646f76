'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { createRule } from '@/lib/server/alerts/create-rule';
import { deleteRule } from '@/lib/server/alerts/delete-rule';
import { updateRule } from '@/lib/server/alerts/update-rule';
import { formAction } from '@/lib/server/http/action';
import { validationError } from '@/lib/server/http/problem';
import { ZCreateRule, ZUpdateRule } from '@/lib/validation/alerts';
import { ZText, ZUuid } from '@/lib/validation/common';

/**
 * The rule editor sends its nested draft as one JSON field; it is parsed with the same schemas
 * as the REST API, so field errors carry the same names ("signal.feature", "windowMinutes").
 */
const ZRuleForm = z.object({ id: ZUuid.optional(), rule: ZText.max(20_000) });

function parseDraft<S extends z.ZodType>(schema: S, text: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, 'form');
  return parsed.data;
}

export const saveRuleAction = formAction({ permission: 'alerts:manage', schema: ZRuleForm }, async (input, ctx) => {
  if (input.id) {
    const { model: _model, environment: _environment, version: _version, ...changes } = parseDraft(ZCreateRule, input.rule);
    const rule = await updateRule(ctx, input.id, parseDraft(ZUpdateRule, JSON.stringify(changes)));
    revalidatePath('/alerts/rules');
    return { message: `Saved “${rule.name}”.`, data: { id: rule.id } };
  }
  const rule = await createRule(ctx, parseDraft(ZCreateRule, input.rule));
  revalidatePath('/alerts/rules');
  return { message: `Created “${rule.name}”. It is evaluated every minute and after new data arrives.`, data: { id: rule.id } };
});

export const setRuleEnabledAction = formAction(
  { permission: 'alerts:manage', schema: z.object({ id: ZUuid, enabled: z.enum(['true', 'false']) }) },
  async (input, ctx) => {
    const rule = await updateRule(ctx, input.id, { enabled: input.enabled === 'true' });
    revalidatePath('/alerts/rules');
    return { message: `${rule.enabled ? 'Enabled' : 'Disabled'} “${rule.name}”.` };
  },
);

export const deleteRuleAction = formAction({ permission: 'alerts:manage', schema: z.object({ id: ZUuid }) }, async (input, ctx) => {
  await deleteRule(ctx, input.id);
  revalidatePath('/alerts/rules');
  revalidatePath('/alerts');
  // From the rule's own page there is nothing left to show.
  redirect('/alerts/rules');
});
