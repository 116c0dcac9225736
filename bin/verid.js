#!/usr/bin/env node
// verid command line: `verid serve`, `verid clients ...`, `verid keys ...`, `verid migrate`.
import '../src/cli/main.ts';
