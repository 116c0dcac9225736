import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, Human } from '@vladmandic/human';
import { installFileFetch } from './file-fetch.ts';
import { packageDir, requireFile } from './package-dir.ts';

/**
 * Detector + mesh/iris + passive liveness; everything else Human can do is off (the face template
 * is face-api's, aligned on the mesh: face-engine.ts), both for
 * speed and so no model outside the npm package is ever requested.
 */
export function humanConfig(): Partial<Config> {
  const humanDir = packageDir('@vladmandic/human');
  const wasmDir = join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
  return {
    backend: 'wasm',
    wasmPath: pathToFileURL(wasmDir).href + '/',
    wasmPlatformFetch: false,
    modelBasePath: pathToFileURL(join(humanDir, 'models')).href + '/',
    debug: false,
    async: true,
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { enabled: true, rotation: true, maxDetected: 5, minConfidence: 0.5, minSize: 0, return: false },
      mesh: { enabled: true },
      attention: { enabled: false },
      // Iris refines the eyelid landmarks: blinks drop the eye aspect ratio to ~0.1 with it, ~0.2 without.
      iris: { enabled: true, modelPath: 'iris.json' },
      description: { enabled: false },
      emotion: { enabled: false },
      // Passive presentation-attack scores, reported only (docs/liveness.md).
      antispoof: { enabled: true, modelPath: 'antispoof.json' },
      liveness: { enabled: true, modelPath: 'liveness.json' },
      gear: { enabled: false },
    },
  };
}

/** Loads Human (wasm backend) with local models and warms it up; one instance per worker. */
export async function loadHuman(): Promise<Human> {
  installFileFetch();
  const humanDir = packageDir('@vladmandic/human');
  const mod = requireFile<{ Human: new (c: Partial<Config>) => Human }>(join(humanDir, 'dist', 'human.node-wasm.js'));
  const human = new mod.Human(humanConfig());
  await human.load();
  await human.tf.ready();
  return human;
}
