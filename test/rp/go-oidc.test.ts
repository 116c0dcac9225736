import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { commandSucceeds, missingPackage } from './rp-harness.ts';
import { describeProgramRelyingParty } from './program-suite.ts';

// Debian's Go packages live in a GOPATH: the program builds offline against them, no module downloads.
const GOPATH = '/usr/share/gocode';
const SOURCE = new URL('go-oidc-rp/main.go', import.meta.url).pathname;
let buildDir = '';

describeProgramRelyingParty({
  title: 'Go coreos/go-oidc v2 (Debian golang-github-coreos-go-oidc-dev) as the relying party',
  skip: missingPackage(() => commandSucceeds('go', ['version']) && existsSync(`${GOPATH}/src/github.com/coreos/go-oidc/oidc.go`), 'golang-github-coreos-go-oidc-dev golang-go'),
  command: async () => {
    buildDir = await mkdtemp(path.join(tmpdir(), 'verid-go-rp-'));
    const binary = path.join(buildDir, 'go-oidc-rp');
    await promisify(execFile)('go', ['build', '-o', binary, SOURCE], { env: { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '' } });
    return [binary, []];
  },
  cleanup: () => rm(buildDir, { recursive: true, force: true }),
});
