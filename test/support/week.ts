import request from 'supertest';
import type { TestApp } from './test-app.js';

/** The week most fixtures of test/fixtures/feeds/week/ are dated in: Monday 3 to Monday 10 November 2025, 08:00 in New York. */
export const FIXTURE_WEEK = { periodStart: '2025-11-03T13:00:00.000Z', periodEnd: '2025-11-10T13:00:00.000Z' } as const;

export interface DryRunPost {
  position: number;
  id: string;
  title: string;
  url: string;
  imageUrl: string | null;
  publishedAt: string;
}

export interface DryRun {
  wouldBe: 'composed' | 'skipped';
  posts: DryRunPost[];
  moreCount: number;
  html: string | null;
  text: string | null;
  problems: string[];
  notes: { kind: string; message: string; postId?: string; feedId?: string }[];
}

/** POST /admin/digests/dry-run for a period, as an operator would. */
export async function dryRun(
  app: TestApp,
  token: string,
  body: Record<string, unknown> = FIXTURE_WEEK,
): Promise<DryRun> {
  return (await request(app.http).post('/admin/digests/dry-run').auth(token, { type: 'bearer' }).send(body).expect(200))
    .body;
}

export interface PollResult {
  url: string;
  outcome: string;
  created: number;
  updated: number;
  skipped: number;
  duplicates: number;
  pages: number;
  error: string | null;
  warnings: string[];
  state: { id: string; status: string; lastWarning: string | null };
}

/** POST /admin/feeds/poll. */
export async function pollFeeds(app: TestApp, token: string): Promise<PollResult[]> {
  return (await request(app.http).post('/admin/feeds/poll').auth(token, { type: 'bearer' }).expect(200)).body.feeds;
}
