import { stagePackage } from './stage.js';

// azd prepackage hook (azure.yaml): azd runs service hooks in the service's folder, the repo root.
const out = stagePackage(process.cwd());
console.log(`Staged the deployment package in ${out}`);
