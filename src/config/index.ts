export { loadConfig } from './load-config.ts';
export type { Config } from './load-config.ts';
export { CONFIG_KEYS } from './config-schema.ts';
export type { ConfigKey, ConfigName } from './config-schema.ts';
export { parseTrustProxy } from './trust-proxy.ts';
export type { TrustedProxies } from './trust-proxy.ts';
