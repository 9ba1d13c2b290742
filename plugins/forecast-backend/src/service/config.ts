import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Settings of the forecast backend, from `forecast.backend.*`. */
export interface ForecastBackendSettings {
  /** Seconds a cached AWS list result is served without asking AWS again. */
  cacheTtlSeconds: number;
  /** Seconds a cached result is kept to serve, marked stale, when AWS throttles. */
  staleTtlSeconds: number;
  /** Executions per page when the request gives no `pageSize`. */
  defaultPageSize: number;
  /** Forecast export jobs listed per workload, newest first. */
  maxExports: number;
  /** Actual values returned before the forecast starts. */
  actualsPoints: number;
  /** Bytes of CSV read for one forecast series response, exports and actuals each. */
  maxCsvBytes: number;
}

const DEFAULTS: ForecastBackendSettings = {
  cacheTtlSeconds: 30,
  staleTtlSeconds: 900,
  defaultPageSize: 20,
  maxExports: 10,
  actualsPoints: 104,
  maxCsvBytes: 50 * 1024 * 1024,
};

function positiveNumber(
  config: Config,
  key: keyof ForecastBackendSettings,
): number {
  const path = `forecast.backend.${key}`;
  const value = config.getOptionalNumber(path) ?? DEFAULTS[key];
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(
      `Invalid config ${path}: ${value} must be a positive number`,
    );
  }
  return value;
}

/** Reads `forecast.backend.*`, applying the defaults. */
export function readForecastBackendSettings(
  config: Config,
): ForecastBackendSettings {
  const settings = {} as ForecastBackendSettings;
  for (const key of Object.keys(
    DEFAULTS,
  ) as (keyof ForecastBackendSettings)[]) {
    settings[key] = positiveNumber(config, key);
  }
  if (settings.defaultPageSize > 100) {
    throw new InputError(
      `Invalid config forecast.backend.defaultPageSize: ${settings.defaultPageSize} is above 100, the Step Functions page limit`,
    );
  }
  return settings;
}
