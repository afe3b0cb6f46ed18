/** Offset pagination for admin lists. */
import { z } from 'zod';

export const PAGE_QUERY = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(50),
});

export interface PageRequest {
  page: number;
  perPage: number;
}

export function pageOffset(request: PageRequest): { limit: number; offset: number } {
  return { limit: request.perPage, offset: (request.page - 1) * request.perPage };
}
