import { apiNotFound } from '@/lib/server/http/api-fallbacks';

export const dynamic = 'force-dynamic';

// Paths under /api that no route file serves: 404 problem+json instead of the HTML page.
export const GET = apiNotFound;
export const POST = apiNotFound;
export const PUT = apiNotFound;
export const PATCH = apiNotFound;
export const DELETE = apiNotFound;
