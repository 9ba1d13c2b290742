/**
 * An offline endpoint that speaks the AWS wire protocols of the services the
 * Forecast pipelines use, and runs them locally.
 *
 * @packageDocumentation
 */

export { startSandbox } from './server';
export type { Sandbox, SandboxOptions, SandboxServices } from './server';
export type { PublishedMessage } from './sns/SnsService';
export { forecastSandboxPlugin as default } from './plugin';
export { AwsServiceError } from './core/errors';
export type * from './core/types';
export { createForecastService } from './forecast';
export type { ForecastService, ForecastServiceOptions } from './forecast';
export { generateDemoDataset } from '@forecast-pipelines/plugin-forecast-node';
export type { DemoDatasetOptions } from '@forecast-pipelines/plugin-forecast-node';
