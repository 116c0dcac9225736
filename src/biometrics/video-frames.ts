import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Test and bench helper: JPEG frames of a fixture video via the `ffmpeg` binary (Debian
 * package `ffmpeg`). Frames go to a temporary folder that is removed again: frames derived
 * from the fixtures are never written into the repository.
 */

/** `../shared/fixtures/faces` beside the checkout (present in CI, absent on a fresh clone). */
export const SHARED_FACES_DIR = fileURLToPath(new URL('../../../shared/fixtures/faces/', import.meta.url));

/** Why video tests cannot run here, or null when they can. */
export function videoFixturesUnavailable(video: string): string | null {
  if (!existsSync(join(SHARED_FACES_DIR, 'video', video))) return `needs ../shared/fixtures/faces/video/${video} beside the checkout`;
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) return 'needs ffmpeg on PATH (apt-get install -y ffmpeg)';
  return null;
}

export async function videoFrames(video: string, options: { start: number; duration: number; fps: number }): Promise<Uint8Array[]> {
  const dir = await mkdtemp(join(tmpdir(), 'verid-frames-'));
  try {
    await promisify(execFile)('ffmpeg', [
      '-v', 'error', '-ss', String(options.start), '-t', String(options.duration),
      '-i', join(SHARED_FACES_DIR, 'video', video), '-vf', `fps=${options.fps}`, '-q:v', '3', join(dir, '%05d.jpg'),
    ]);
    const files = (await readdir(dir)).sort();
    return Promise.all(files.map(async (f) => new Uint8Array(await readFile(join(dir, f)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
