// Runs Azurite in this process and ends it when the local runtime goes away by any means: the
// runtime holds this process's stdin open, so when the runtime exits, even on SIGKILL, stdin
// ends and Azurite shuts down through its own SIGTERM handler, which saves its data first.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
const pidFile = process.env.SM_AZURITE_PID_FILE;
if (pidFile) {
  fs.writeFileSync(pidFile, String(process.pid));
  process.on('exit', () => {
    try {
      if (fs.readFileSync(pidFile, 'utf8') === String(process.pid)) fs.unlinkSync(pidFile);
    } catch {
      // already gone
    }
  });
}
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
process.argv.splice(1, 1, cli);
require(cli);
