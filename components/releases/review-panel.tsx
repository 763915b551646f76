'use client';

import { useActionState, useState } from 'react';
import { reviewReleaseAction } from '@/app/(app)/releases/[id]/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { submitWithoutReset } from '@/components/ui/submit-without-reset';

/** Approve (comment optional) or reject (comment required) — one form, the clicked button decides. */
export function ReviewPanel({ id, gatesFailed }: { id: string; gatesFailed: boolean }) {
  const [state, action, pending] = useActionState(reviewReleaseAction, { status: 'idle' });
  const [comment, setComment] = useState('');
  const errors = state.status === 'error' ? state.fieldErrors : undefined;
  return (
    <form className="stack" onSubmit={submitWithoutReset(action)} aria-label="Review this release">
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
          aria-describedby="review-comment-hint"
          aria-invalid={Boolean(errors?.comment)}
        />
        <span className="hint" id="review-comment-hint">Optional when approving; required when rejecting.</span>
        <FieldError errors={errors} name="comment" />
      </div>
      {errors?.comment ? null : <FormMessage state={state} />}
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
