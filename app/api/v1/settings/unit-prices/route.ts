import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { getUnitPricesEndpoint, putUnitPrices } from '@/lib/api/endpoints/decisions';
import { getUnitPrices, updateUnitPrices } from '@/lib/server/decisions/unit-prices';
import { route } from '@/lib/server/http/route';

export const GET = route(getUnitPricesEndpoint, () => getUnitPrices());

export const PUT = route(putUnitPrices, ({ body, ctx }) => updateUnitPrices(ctx, body));

export const { POST, PATCH, DELETE } = otherMethods('/api/v1/settings/unit-prices');
