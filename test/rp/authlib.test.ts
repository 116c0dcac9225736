import { commandSucceeds, missingPackage } from './rp-harness.ts';
import { describeProgramRelyingParty } from './program-suite.ts';

// Debian's python3-authlib lives in the system python, not in whatever python3 is first on PATH.
const PYTHON = '/usr/bin/python3';

describeProgramRelyingParty({
  title: 'python authlib (Debian python3-authlib) as the relying party',
  skip: missingPackage(() => commandSucceeds(PYTHON, ['-c', 'import authlib, requests']), 'python3-authlib python3-requests'),
  command: async () => [PYTHON, [new URL('authlib-rp.py', import.meta.url).pathname]],
});
