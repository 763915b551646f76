import type { z } from 'zod';

export type PageSearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * A list page's query string, parsed with the same schema as its REST endpoint. Invalid
 * values fall back to the defaults (the page shows `issues` instead of failing); `filters`
 * keeps the filter fields only, for building export and next-page links.
 */
export async function parseListSearchParams<S extends z.ZodType>(searchParams: PageSearchParams, schema: S, filterKeys: readonly string[]) {
  const raw = Object.fromEntries(
    Object.entries(await searchParams).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
  const parsed = schema.safeParse(raw);
  const query: z.output<S> = parsed.success ? parsed.data : schema.parse({});
  const filters = new URLSearchParams(Object.entries(raw).filter(([key]) => filterKeys.includes(key)));
  return { raw, query, filters, issues: parsed.success ? [] : parsed.error.issues };
}
