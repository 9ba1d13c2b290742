/**
 * Node.js helpers shared by the Amazon Forecast backend plugins: the AWS
 * client factory and the `forecast.*` config reader.
 *
 * @packageDocumentation
 */

export * from './arn';
export * from './AwsClientFactory';
export * from './config';
