import { execFile } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createBrotliDecompress } from 'node:zlib';
import { projectRoot } from '../../src/common/project-root.js';

/** A browser unpacked from the `@sparticuz/chromium` tarball: its binary and what it needs around it. */
export interface PackagedChromium {
  executablePath: string;
  /** Variables the browser process needs on top of the test's own. */
  env: Record<string, string>;
}

/**
 * Unpacks the Chromium that `@sparticuz/chromium` ships inside its npm tarball (brotli files, no
 * install script, nothing downloaded) into `node_modules/.cache/`, once per package version.
 *
 * We unpack it ourselves rather than call the package's `executablePath()`: that one writes to a
 * fixed `/tmp/chromium` shared by every checkout and user on the machine, and only sets up the
 * libraries and fonts on AWS Lambda. Here the browser gets:
 * - `lib/`: the NSS, NSPR and expat libraries the package ships (built for Amazon Linux 2023, they
 *   run on Debian 12's newer glibc), so a machine without `libnss3` still starts it;
 * - SwiftShader beside the binary, where Chromium looks for its software GL;
 * - a `fonts.conf` naming the package's Open Sans and the system's fonts, if any; without a
 *   font, the renderer aborts.
 */
export async function unpackPackagedChromium(): Promise<PackagedChromium> {
  const bin = path.join(projectRoot(), 'node_modules', '@sparticuz', 'chromium', 'bin');
  const { version } = JSON.parse(readFileSync(path.join(bin, '..', 'package.json'), 'utf8')) as { version: string };
  const target = path.join(projectRoot(), 'node_modules', '.cache', `sparticuz-chromium-${version}`);
  if (!existsSync(target)) await unpackInto(bin, target);
  return {
    executablePath: path.join(target, 'chromium'),
    env: { LD_LIBRARY_PATH: path.join(target, 'lib'), FONTCONFIG_PATH: path.join(target, 'fonts') },
  };
}

/** Unpacks into a private folder, then renames it into place, so a half-written browser is never used. */
async function unpackInto(bin: string, target: string): Promise<void> {
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(path.join(partial, 'fonts'), { recursive: true });
  try {
    await Promise.all([
      pipeline(
        createReadStream(path.join(bin, 'chromium.br')),
        createBrotliDecompress(),
        createWriteStream(path.join(partial, 'chromium'), { mode: 0o755 }),
      ),
      untarBrotli(path.join(bin, 'al2023.tar.br'), partial),
      untarBrotli(path.join(bin, 'swiftshader.tar.br'), partial),
      untarBrotli(path.join(bin, 'fonts.tar.br'), path.join(partial, 'fonts')),
    ]);
    // The package's own fonts.conf names Lambda's folders; ours names the unpacked ones.
    writeFileSync(
      path.join(partial, 'fonts', 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        `  <dir>${path.join(target, 'fonts', 'fonts')}</dir>`,
        '  <dir>/usr/share/fonts</dir>',
        `  <cachedir>${path.join(target, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another process finished first: its copy is as good as ours.
    if (existsSync(path.join(target, 'chromium'))) return;
    throw error;
  }
}

/** Brotli in Node, then the system's `tar` (essential on Debian) for the archive itself. */
async function untarBrotli(file: string, into: string): Promise<void> {
  const archive = path.join(into, `${path.basename(file, '.br')}.partial`);
  await pipeline(createReadStream(file), createBrotliDecompress(), createWriteStream(archive));
  await promisify(execFile)('tar', ['-x', '-f', archive, '-C', into]);
  rmSync(archive);
}
