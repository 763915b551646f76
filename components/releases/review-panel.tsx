'use client';

import { useState } from 'react';
import { reviewReleaseAction } from '@/app/(app)/releases/[id]/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { TextAreaField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['comment'] as const;

/** Approve (comment optional) or reject (comment required) — one form, the clicked button decides. */
export function ReviewPanel({ id, gatesFailed }: { id: string; gatesFailed: boolean }) {
  const { state, pending, errors, errorId, form } = useFormAction(reviewReleaseAction);
  const [comment, setComment] = useState('');
  return (
    <form className="stack" {...form} aria-label="Review this release">
      <input type="hidden" name="id" value={id} />
      {gatesFailed ? (
        <div className="notice danger" role="status">
          A gate fails now (see below), so an approval will be refused until it passes.
        </div>
      ) : null}
      <TextAreaField
        id="review-comment"
        name="comment"
        label="Comment"
        rows={3}
        maxLength={5000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        hint="Optional when approving; required when rejecting."
        errors={errors}
        errorId={errorId('comment')}
      />
      <FormMessage state={state} fields={FIELDS} />
      <div className="button-row">
        <button className="btn primary" type="submit" name="decision" value="approve" disabled={pending}>
          Approve
        </button>
        <button className="btn danger" type="submit" name="decision" value="reject" disabled={pending}>
          Reject
        </button>
      </div>
    </form>
  );
}
