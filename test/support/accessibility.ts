import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { artifactPath } from './browser.js';

/** The widths every page and mail is held to: a laptop and a small phone. */
export const WIDTHS = [1280, 375] as const;

/** One axe finding that a reader would stumble on, in a line a failing test can print. */
export interface SeriousViolation {
  width: number;
  rule: string;
  impact: string;
  targets: string[];
}

/**
 * Runs axe-core on what `page` shows at each width and saves a full-page screenshot of each to
 * test-artifacts/`<name>-<width>.png`. Returns the serious and critical violations (an empty list
 * is the pass), so the test's failure names the rule and the elements.
 */
export async function seriousViolations(page: Page, name: string): Promise<SeriousViolation[]> {
  const found: SeriousViolation[] = [];
  const before = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: artifactPath(`${name}-${width}.png`), fullPage: true });
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const violation of violations)
      if (violation.impact === 'serious' || violation.impact === 'critical')
        found.push({
          width,
          rule: violation.id,
          impact: violation.impact,
          targets: violation.nodes.map((node) => node.target.join(' ')),
        });
  }
  if (before) await page.setViewportSize(before);
  return found;
}
