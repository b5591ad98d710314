import { IsBoolean, IsISO8601, IsOptional } from 'class-validator';

const isoMessage = (name: string) => ({
  message: `${name} must be an ISO 8601 time, such as 2026-03-09T08:00:00-04:00`,
});

/**
 * POST /admin/digests/dry-run. No period: the one the next weekly run would take now. Only
 * `periodEnd`: the seven local days before it. Both: exactly that period.
 */
export class DryRunDto {
  @IsOptional()
  @IsISO8601({ strict: true }, isoMessage('periodStart'))
  periodStart?: string;

  @IsOptional()
  @IsISO8601({ strict: true }, isoMessage('periodEnd'))
  periodEnd?: string;

  /** Poll the feeds first (this stores posts, never a digest). */
  @IsOptional()
  @IsBoolean({ message: 'refreshFeeds must be true or false' })
  refreshFeeds?: boolean;
}
