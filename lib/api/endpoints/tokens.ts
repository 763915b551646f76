import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZApiToken, ZCreatedToken, ZCreateToken, ZTokenIdParams } from '@/lib/validation/tokens';

export const listTokens = defineEndpoint({
  method: 'GET',
  path: '/api/v1/tokens',
  tag: 'API tokens',
  summary: 'Your API tokens',
  auth: 'user',
  response: z.object({ items: z.array(ZApiToken) }),
});

export const createToken = defineEndpoint({
  method: 'POST',
  path: '/api/v1/tokens',
  tag: 'API tokens',
  summary: 'Create a personal API token',
  description: 'The secret is in the response only; ModelDeck stores its hash.',
  auth: 'user',
  body: ZCreateToken,
  response: ZCreatedToken,
  successStatus: 201,
  errors: [422],
});

export const revokeToken = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/tokens/{id}',
  tag: 'API tokens',
  summary: 'Revoke an API token',
  description: 'Your own tokens; admins may revoke anyone\'s.',
  auth: 'user',
  params: ZTokenIdParams,
  response: ZApiToken,
  errors: [404, 409],
});
