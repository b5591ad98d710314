/** The column limits of migrations/1764000001000-Posts.ts: feed text is cut to fit, never refused for length. */
export const POST_LIMITS = {
  guid: 2000,
  url: 2000,
  title: 500,
  summary: 5000,
  author: 200,
  /** Not a column limit: keeps a tag-stuffed post from carrying hundreds of categories. */
  categories: 20,
  category: 100,
} as const;

/** Admin listing page sizes. */
export const POST_PAGE = { defaultLimit: 50, maxLimit: 100 } as const;
