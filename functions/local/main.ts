import { SettingsError } from '../settings.js';
import { startLocalRuntime } from './runtime.js';

// `npm start`: the whole app on this machine. Ctrl-C stops everything, Azurite included.

async function main(): Promise<void> {
  const runtime = await startLocalRuntime();
  const http = runtime.functions.filter((f) => f.kind === 'http');
  const timers = runtime.functions.filter((f) => f.kind === 'timer');
  const queues = runtime.functions.filter((f) => f.kind === 'queue');
  console.log(
    [
      '',
      `Serverless Monitor (local runtime) is running at ${runtime.url}/api`,
      `  regions:  ${runtime.regions.join(', ')} (primary ${runtime.primary.primaryRegion})`,
      `  minute:   ${runtime.primary.minuteMs / 1000} s`,
      `  storage:  ${runtime.azurite ? `Azurite pid ${runtime.azurite.pid}, tables on port ${runtime.azurite.ports.table}` : 'external'}`,
      `  data:     ${runtime.primary.dataDir}`,
      `  HTTP:     ${http.map((f) => (f.kind === 'http' ? `${f.methods.join('|')} /api/${f.route}` : '')).join('\n            ')}`,
      `  timers:   ${timers.map((f) => (f.kind === 'timer' ? `${f.name} (${f.schedule})` : '')).join(', ') || 'none'}`,
      `  queues:   ${queues.map((f) => (f.kind === 'queue' ? `${f.name} (${f.queueName})` : '')).join(', ') || 'none'}`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.log('Stopping now.');
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    runtime.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (err: unknown) => {
        console.error('Shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof SettingsError) console.error(`Bad setting ${err.message}`);
  else console.error(err);
  process.exit(1);
});
