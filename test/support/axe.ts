import type { AxeResults } from 'axe-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { artifactPath } from './browser.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A violation as a failing test prints it: the rule, its impact and where. */
export interface AxeFinding {
  rule: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core's WCAG 2 A and AA rules (2.0, 2.1 and 2.2) on the page as it is and returns the
 * serious and critical violations. The engine is evaluated through the DevTools protocol, so it
 * runs under the page's own Content-Security-Policy without loosening it.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (context: unknown, options: object) => Promise<AxeResults> } }).axe.run(
      (globalThis as unknown as { document: unknown }).document,
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } },
    ),
  );
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}

/** The same findings, one line each (rule and elements). */
export async function seriousViolations(page: Page): Promise<string[]> {
  return (await seriousAxeViolations(page)).map((finding) => `${finding.rule}: ${finding.targets.join(', ')}`);
}

/** Screenshots at 1280 and 375 px (kept in test-artifacts/) and the serious violations at each width. */
export async function checkPageAtBothWidths(page: Page, name: string): Promise<string[]> {
  const found: string[] = [];
  const before = page.viewportSize();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: artifactPath(`${name}-${width}.png`), fullPage: true });
    found.push(...(await seriousViolations(page)).map((violation) => `${width} px: ${violation}`));
  }
  if (before) await page.setViewportSize(before);
  return found;
}
