/** `node dist/experiments/catalog-build.js`: write catalog.json beside the compiled catalog (the build's last step). */
import { writeFileSync } from 'node:fs';
import { buildCatalog, CATALOG_FILE } from './catalog.js';

writeFileSync(CATALOG_FILE, JSON.stringify(await buildCatalog()) + '\n');
process.stdout.write(`fivelens: wrote ${CATALOG_FILE}\n`);
process.exit(0);
