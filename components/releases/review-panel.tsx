'use client';

import { useState } from 'react';
import { reviewReleaseAction } from '@/app/(app)/releases/[id]/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['comment'] as const;

/** Approve (comment optional) or reject (comment required) — one form, the clicked button decides. */
export function ReviewPanel({ id, gatesFailed }: { id: string; gatesFailed: boolean }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(reviewReleaseAction);
  const [comment, setComment] = useState('');
  return (
    <form className="stack" {...form} aria-label="Review this release">
      <input type="hidden" name="id" value={id} />
      {gatesFailed ? (
        <div className="notice danger" role="status">
          A gate fails now (see below), so an approval will be refused until it passes.
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="review-comment">Comment</label>
        <textarea
          id="review-comment"
          name="comment"
          rows={3}
          maxLength={5000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          {...field('comment', 'review-comment-hint')}
        />
        <span className="hint" id="review-comment-hint">Optional when approving; required when rejecting.</span>
        <FieldError errors={errors} name="comment" id={errorId('comment')} />
      </div>
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
