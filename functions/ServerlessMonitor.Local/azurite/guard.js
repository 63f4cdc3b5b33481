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
// A runtime killed with SIGKILL takes the read ends of our stdout and stderr with it, and Azurite
// writes "... is closing" as it shuts down: unhandled, that EPIPE would crash this process
// before it saved its data (the last autosave, up to 5 s old, would be all that is left).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
process.argv.splice(1, 1, cli);
require(cli);
