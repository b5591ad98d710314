/** Query parameters that only say where a click came from: Google Analytics, ad click ids, mail tools. */
const TRACKING =
  /^(utm_\w+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|_ga|_gl|wt_mc|cmpid)$/i;

/**
 * `href` without tracking parameters and without a fragment: the article's own address. A
 * digest should neither carry a feed service's campaign tags nor tell two copies of one
 * article apart by them. Anything that is not a URL is returned unchanged.
 */
export function stripTracking(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  for (const name of [...url.searchParams.keys()]) if (TRACKING.test(name)) url.searchParams.delete(name);
  url.hash = '';
  return url.href;
}

/**
 * The key under which two links are the same article: tracking stripped, scheme, a leading
 * "www." and a trailing slash ignored, the remaining query sorted. For matching only, never shown.
 */
export function articleKey(href: string): string {
  let url: URL;
  try {
    url = new URL(stripTracking(href));
  } catch {
    return href;
  }
  url.searchParams.sort();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  return `${url.hostname.replace(/^www\./, '')}${url.port ? `:${url.port}` : ''}${path}${url.search}`;
}
