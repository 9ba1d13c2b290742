import type { Config } from '@backstage/config';

/** Account and region used when neither the caller nor an ARN gives them. */
export const SANDBOX_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_SANDBOX_PORT = 4566;

/** The `forecast.*` settings every backend part of the plugin reads. */
export interface ForecastAwsSettings {
  /** Default account for deployments when the template form gives none. */
  accountId: string;
  /** Default region for deployments when the template form gives none. */
  region: string;
  /**
   * Endpoint every AWS client is pointed at, or undefined for the real AWS
   * endpoints. Set from `forecast.aws.endpoint`, or from the sandbox port
   * when `forecast.sandbox.enabled` is true.
   */
  endpoint?: string;
}

/** Reads the `forecast.aws` and `forecast.sandbox` config blocks. */
export function readForecastAwsSettings(config: Config): ForecastAwsSettings {
  const sandboxEnabled =
    config.getOptionalBoolean('forecast.sandbox.enabled') ?? false;
  const sandboxPort =
    config.getOptionalNumber('forecast.sandbox.port') ?? DEFAULT_SANDBOX_PORT;
  const explicitEndpoint = config.getOptionalString('forecast.aws.endpoint');

  let endpoint = explicitEndpoint;
  if (!endpoint && sandboxEnabled) {
    endpoint = `http://127.0.0.1:${sandboxPort}`;
  }

  return {
    accountId:
      config.getOptionalString('forecast.aws.accountId') ??
      (sandboxEnabled ? SANDBOX_ACCOUNT_ID : ''),
    region: config.getOptionalString('forecast.aws.region') ?? DEFAULT_REGION,
    endpoint,
  };
}
