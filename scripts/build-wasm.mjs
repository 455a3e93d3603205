// Compile the AssemblyScript fast paths to WebAssembly (part of `npm run build`):
//   src/zip/asm/cm.as.ts → dist/zip/asm/cm.wasm
// The TypeScript reference (src/zip/cm2.ts) gives the same bytes without it, only slower.
import asc from 'assemblyscript/asc';
import { mkdirSync } from 'node:fs';

const jobs = [{ src: 'src/zip/asm/cm.as.ts', out: 'dist/zip/asm/cm.wasm' }];
for (const { src, out } of jobs) {
  mkdirSync(out.slice(0, out.lastIndexOf('/')), { recursive: true });
  const { error, stderr } = await asc.main([src, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--outFile', out]);
  if (error) {
    process.stderr.write(stderr.toString());
    process.stderr.write(`build-wasm: ${src}: ${error.message}\n`);
    process.exit(1);
  }
}
