'use client';

import Link from 'next/link';
import { useEffect, useId, useState } from 'react';
import { requestPromotionAction } from '@/app/(app)/models/[name]/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';

const FIELDS = ['environment', 'strategy', 'steps', 'intervalSeconds', 'percent', 'note'] as const;

const STRATEGIES = [
  { value: 'replace', label: 'Replace (blue/green)' },
  { value: 'canary', label: 'Canary (traffic steps)' },
  { value: 'shadow', label: 'Shadow (mirror traffic)' },
] as const;

/**
 * Promote one version: environment, strategy (canary steps only for canary) and a note
 * for the reviewers. Inputs are controlled so a refused request (a failed gate) keeps
 * what was typed.
 */
export function PromoteForm(props: { model: string; version: number; environments: string[]; defaultEnvironment: string }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(requestPromotionAction);
  const [environment, setEnvironment] = useState(props.defaultEnvironment);
  const [suggested, setSuggested] = useState(props.defaultEnvironment);
  const [strategy, setStrategy] = useState<string>('replace');
  const [steps, setSteps] = useState('10,50,100');
  const [intervalText, setIntervalText] = useState('');
  const [percent, setPercent] = useState('');
  const [note, setNote] = useState('');
  const id = useId();

  // Once the version goes live somewhere, suggest the next environment.
  if (suggested !== props.defaultEnvironment) {
    setSuggested(props.defaultEnvironment);
    setEnvironment(props.defaultEnvironment);
  } else if (!props.environments.includes(environment)) {
    // The chosen environment was just requested (or went live), so it is no longer offered.
    setEnvironment(props.defaultEnvironment);
  }
  useEffect(() => {
    if (state.status === 'success') setNote('');
  }, [state]);

  return (
    <div className="promote">
      <form className="inline" {...form} aria-label={`Promote v${props.version}`}>
        <span className="promote-title">Promote v{props.version}</span>
        <input type="hidden" name="name" value={props.model} />
        <input type="hidden" name="version" value={props.version} />
        <div className="field">
          <label htmlFor={`${id}-env`}>Environment</label>
          <select id={`${id}-env`} name="environment" value={environment} onChange={(e) => setEnvironment(e.target.value)} {...field('environment')}>
            {props.environments.map((env) => (
              <option key={env} value={env}>{env}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-strategy`}>Strategy</label>
          <select id={`${id}-strategy`} name="strategy" value={strategy} onChange={(e) => setStrategy(e.target.value)} {...field('strategy')}>
            {STRATEGIES.map((s) => (
              <option key={s.value} value={s.value}>{s.label}</option>
            ))}
          </select>
        </div>
        {strategy === 'canary' ? (
          <div className="field">
            <label htmlFor={`${id}-steps`}>Canary steps (%)</label>
            <input
              id={`${id}-steps`}
              name="steps"
              size={10}
              value={steps}
              onChange={(e) => setSteps(e.target.value)}
              placeholder="10,50,100"
              title="Increasing percentages of traffic, ending at 100"
              {...field('steps')}
            />
          </div>
        ) : null}
        {strategy === 'canary' ? (
          <div className="field">
            <label htmlFor={`${id}-interval`}>Seconds per step</label>
            <input
              id={`${id}-interval`}
              name="intervalSeconds"
              inputMode="numeric"
              size={6}
              value={intervalText}
              onChange={(e) => setIntervalText(e.target.value)}
              placeholder="default"
              title="Time between steps, each ending with an analysis; empty: the environment's setting"
              {...field('intervalSeconds')}
            />
          </div>
        ) : null}
        {strategy === 'shadow' ? (
          <div className="field">
            <label htmlFor={`${id}-percent`}>Mirrored (%)</label>
            <input
              id={`${id}-percent`}
              name="percent"
              inputMode="numeric"
              size={5}
              value={percent}
              onChange={(e) => setPercent(e.target.value)}
              placeholder="100"
              title="Share of requests copied to the new version; its answers are never returned"
              {...field('percent')}
            />
          </div>
        ) : null}
        <div className="field grow">
          <label htmlFor={`${id}-note`}>Note for reviewers</label>
          <input id={`${id}-note`} name="note" maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="optional" {...field('note')} />
        </div>
        <button className="btn primary" type="submit" disabled={pending}>
          {pending ? 'Requesting…' : 'Request promotion'}
        </button>
      </form>
      {FIELDS.map((name) => (
        <FieldError key={name} errors={errors} name={name} id={errorId(name)} />
      ))}
      <FormMessage state={state} fields={FIELDS} />
      {state.status === 'success' && state.data?.releaseId ? (
        <p className="small">
          <Link href={`/releases/${state.data.releaseId}`}>Open the release</Link>
        </p>
      ) : null}
    </div>
  );
}
