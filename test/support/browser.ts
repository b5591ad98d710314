import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { projectRoot } from '../../src/common/project-root.js';

/** Debian's Chromium, never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Where tests save screenshots and other artifacts for people to look at. */
export function artifactPath(name: string): string {
  const directory = path.join(projectRoot(), 'test-artifacts');
  mkdirSync(directory, { recursive: true });
  return path.join(directory, name);
}
