'use client';

import { saveUnitPricesAction } from '@/app/(app)/admin/prices/actions';
import { FieldError, FormMessage } from '@/components/ui/form-feedback';
import { useFormAction } from '@/components/ui/use-form-action';
import type { UnitPrices } from '@/lib/validation/decisions';

const FIELDS = [
  { name: 'cpuHour', label: 'CPU-hour', hint: 'One CPU core for one hour.' },
  { name: 'gbMonth', label: 'GB-month', hint: 'Storing one GB for a month.' },
  { name: 'perMillionRequests', label: 'Per million requests', hint: 'Gateway or load balancer charges.' },
] as const;

export function UnitPricesForm({ prices }: { prices: UnitPrices }) {
  const { state, pending, errors, errorId, form, field } = useFormAction(saveUnitPricesAction);
  return (
    <form {...form} className="stack" aria-label="Unit prices" data-testid="unit-prices-form">
      <div className="try-grid">
        <div className="field">
          <label htmlFor="price-currency">Currency</label>
          <input id="price-currency" name="currency" defaultValue={prices.currency} maxLength={3} autoCapitalize="characters" {...field('currency')} />
          <FieldError errors={errors} name="currency" id={errorId('currency')} />
        </div>
        {FIELDS.map((f) => (
          <div className="field" key={f.name}>
            <label htmlFor={`price-${f.name}`}>{f.label}</label>
            <input id={`price-${f.name}`} name={f.name} type="number" min={0} step="any" inputMode="decimal" required defaultValue={prices.configured ? prices[f.name] : ''} {...field(f.name, `price-${f.name}-hint`)} />
            <span className="hint" id={`price-${f.name}-hint`}>{f.hint}</span>
            <FieldError errors={errors} name={f.name} id={errorId(f.name)} />
          </div>
        ))}
      </div>
      <div>
        <button className="btn primary" type="submit" disabled={pending}>{pending ? 'Saving…' : 'Save prices'}</button>
      </div>
      <FormMessage state={state} fields={['currency', ...FIELDS.map((f) => f.name)]} />
    </form>
  );
}
