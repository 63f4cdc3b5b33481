import { testCertificates } from '../tests/support/servers/certificates.js';
import { startHttpServer } from '../tests/support/servers/http.js';

// The loopback HTTP and HTTPS target of the probe benchmarks, run as its own process so its
// work never shows up in the probing process's event loop or CPU time. It serves the test
// routes (/delay/<ms> among them), prints one JSON line { http, https, ca } and runs until
// its stdin closes (the benchmark ending or dying).

const certificates = await testCertificates();
const [http, https] = await Promise.all([startHttpServer(), startHttpServer({ tls: certificates.valid })]);
console.log(JSON.stringify({ http: http.url, https: https.url, ca: certificates.ca }));

process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.all([http.close(), https.close()]).then(() => process.exit(0));
});
