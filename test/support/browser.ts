import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { projectRoot } from '../../src/common/project-root.js';
import { unpackPackagedChromium } from './packaged-chromium.js';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium when it is installed, otherwise the one shipped inside the `@sparticuz/chromium`
 * npm package, so `npm ci && npm test` works on a machine without a browser. Never a browser
 * downloaded at run time.
 */
export async function launchChromium(): Promise<Browser> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
  if (isExecutable(DEBIAN_CHROMIUM)) return chromium.launch({ executablePath: DEBIAN_CHROMIUM, args });
  const packaged = await unpackPackagedChromium();
  return chromium.launch({ executablePath: packaged.executablePath, args, env: { ...process.env, ...packaged.env } });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where tests save screenshots and other artifacts for people to look at. */
export function artifactPath(name: string): string {
  const directory = path.join(projectRoot(), 'test-artifacts');
  mkdirSync(directory, { recursive: true });
  return path.join(directory, name);
}
