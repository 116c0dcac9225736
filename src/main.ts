import { buildApp } from './app.ts';
import { loadConfig } from './config/index.ts';
import { ConfigError } from './errors/app-error.ts';

/** Process entry: load config → build app → listen → shut down gracefully on SIGINT/SIGTERM. */
async function start() {
  try {
    const config = loadConfig();
    return { config, ...(await buildApp({ config })) };
  } catch (error) {
    // A configuration problem is one line that says what to do, not a stack trace.
    if (error instanceof ConfigError) {
      process.stderr.write(`verid: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const { config, server, database } = await start();
for (const name of config.devDefaults) {
  server.log.warn(`${name} is on its development default: never use this configuration in production`);
}
server.log.info({ database: database.location, issuer: config.issuer }, 'verid starting');

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    server.close().then(() => process.exit(0), () => process.exit(1));
  });
}

await server.listen({ host: config.host, port: config.port });
