/**
 * Scaffolder actions that deploy Amazon Forecast pipeline stacks with
 * CloudFormation, upload their data and start their pipelines.
 *
 * @packageDocumentation
 */

export { scaffolderModuleForecast as default } from './module';
export * from './actions';
