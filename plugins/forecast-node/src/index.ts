/**
 * Node.js helpers shared by the Amazon Forecast backend plugins: the AWS
 * client factory, the `forecast.*` config reader and the generated demo
 * data set.
 *
 * @packageDocumentation
 */

export * from './arn';
export * from './AwsClientFactory';
export * from './config';
export * from './demoData';
