import { describe, expect, it } from 'vitest';

// Its own file, hence its own process and Prisma client: lib/db.ts creates the client on
// first use and keeps it, so pointing DATABASE_URL at a closed port must happen before
// anything in this file touches the database. The per-file setup has already set
// DATABASE_URL by the time this module runs, so it is overridden here and the routes are
// imported afterwards.
const CLOSED_PORT_URL = 'postgresql://postgres:x@127.0.0.1:1/nope';

describe('while the database is unreachable', () => {
  it('GET /api/health answers 503 JSON quickly instead of throwing', async () => {
    process.env.DATABASE_URL = CLOSED_PORT_URL;
    const { GET } = await import('@/app/api/health/route');
    const { call } = await import('../helpers');

    const response = await call(GET, { path: '/api/health' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ status: 503, code: 'database_unavailable' });
  });

  it('authenticated endpoints answer 503 database_unavailable problem+json, not 500', async () => {
    process.env.DATABASE_URL = CLOSED_PORT_URL;
    const { GET } = await import('@/app/api/v1/me/route');
    const { call } = await import('../helpers');

    const response = await call(GET, { path: '/api/v1/me', token: 'mdk_any-token-at-all', headers: { 'x-request-id': 'db-down' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ status: 503, code: 'database_unavailable', requestId: 'db-down' });
    expect(response.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres/);
  });
});
