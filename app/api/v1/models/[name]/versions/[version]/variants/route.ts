import { otherMethods } from '@/lib/server/http/api-fallbacks';
import { listModelVariants } from '@/lib/api/endpoints/edge';
import { describeVariants } from '@/lib/server/edge/describe-variants';
import { route } from '@/lib/server/http/route';

export const GET = route(listModelVariants, ({ params }) => describeVariants({ model: params.name, version: params.version }));

export const { POST, PUT, PATCH, DELETE } = otherMethods('/api/v1/models/{name}/versions/{version}/variants');
