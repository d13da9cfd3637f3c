#!/usr/bin/env node
// The `scratchnet` command. Node 20 runs WebAssembly relaxed SIMD (fused multiply-add) only behind a
// flag: when the flag is missing, re-run this process once with it so the fast kernels can use FMA.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FLAG = '--experimental-wasm-relaxed-simd';
const major = Number(process.versions.node.split('.')[0]);
const hasFlag = process.execArgv.includes(FLAG) || (process.env.NODE_OPTIONS ?? '').includes(FLAG);

if (major < 22 && !hasFlag && process.env.SCRATCHNET_NO_REEXEC !== '1') {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, FLAG, script, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, SCRATCHNET_NO_REEXEC: '1' },
    },
  );
  process.exit(child.status ?? 1);
} else {
  const { main } = await import('../dist/src/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
