'use client';

import { saveUnitPricesAction } from '@/app/(app)/admin/prices/actions';
import { FormMessage } from '@/components/ui/form-feedback';
import { TextField } from '@/components/ui/form-fields';
import { useFormAction } from '@/components/ui/use-form-action';
import type { UnitPrices } from '@/lib/validation/decisions';

const FIELDS = [
  { name: 'cpuHour', label: 'CPU-hour', hint: 'One CPU core for one hour.' },
  { name: 'gbMonth', label: 'GB-month', hint: 'Storing one GB for a month.' },
  { name: 'perMillionRequests', label: 'Per million requests', hint: 'Gateway or load balancer charges.' },
] as const;

export function UnitPricesForm({ prices }: { prices: UnitPrices }) {
  const { state, pending, errors, errorId, form } = useFormAction(saveUnitPricesAction);
  return (
    <form {...form} className="stack" aria-label="Unit prices" data-testid="unit-prices-form">
      <div className="try-grid">
        <TextField id="price-currency" name="currency" label="Currency" defaultValue={prices.currency} maxLength={3} autoCapitalize="characters" errors={errors} errorId={errorId('currency')} />
        {FIELDS.map((f) => (
          <TextField
            key={f.name}
            id={`price-${f.name}`}
            name={f.name}
            label={f.label}
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            required
            defaultValue={prices.configured ? prices[f.name] : ''}
            hint={f.hint}
            errors={errors}
            errorId={errorId(f.name)}
          />
        ))}
      </div>
      <div>
        <button className="btn primary" type="submit" disabled={pending}>{pending ? 'Saving…' : 'Save prices'}</button>
      </div>
      <FormMessage state={state} fields={['currency', ...FIELDS.map((f) => f.name)]} />
    </form>
  );
}
