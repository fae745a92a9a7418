/** Injection tokens of the platform module. */
export const LOGGER = Symbol('settle.logger');
export const SERVICE_CONFIG = Symbol('settle.service-config');
export const SERVICE_NAME = Symbol('settle.service-name');
export const REDIS = Symbol('settle.redis');
