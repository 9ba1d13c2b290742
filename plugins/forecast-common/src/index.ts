/**
 * Types, annotation names, name rules and permissions shared by the Amazon
 * Forecast pipeline plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './api';
export * from './events';
export * from './names';
export * from './permissions';
