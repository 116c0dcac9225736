import { buildApp } from './app.ts';
import { loadConfig } from './config/index.ts';

/** Process entry: load config → build app → listen → shut down gracefully on SIGINT/SIGTERM. */
const config = loadConfig();
const { server, database } = await buildApp({ config });
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
