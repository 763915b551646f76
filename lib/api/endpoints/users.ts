import { z } from 'zod';
import { defineEndpoint } from '../contract';
import { ZCreatedUser, ZCreateUser, ZUpdateUser, ZUser, ZUserIdParams } from '@/lib/validation/users';

export const listUsers = defineEndpoint({
  method: 'GET',
  path: '/api/v1/users',
  tag: 'Users',
  summary: 'List users',
  auth: 'user',
  permission: 'users:manage',
  response: z.object({ items: z.array(ZUser) }),
});

export const createUser = defineEndpoint({
  method: 'POST',
  path: '/api/v1/users',
  tag: 'Users',
  summary: 'Create a user',
  description: 'Without `password`, a temporary password is generated and returned once.',
  auth: 'user',
  permission: 'users:manage',
  body: ZCreateUser,
  response: ZCreatedUser,
  successStatus: 201,
  errors: [409, 422],
});

export const updateUser = defineEndpoint({
  method: 'PATCH',
  path: '/api/v1/users/{id}',
  tag: 'Users',
  summary: "Change a user's name, roles or active flag",
  description: 'Deactivating a user stops their sessions and tokens at their next request.',
  auth: 'user',
  permission: 'users:manage',
  params: ZUserIdParams,
  body: ZUpdateUser,
  response: ZUser,
  errors: [404, 409, 422],
});
