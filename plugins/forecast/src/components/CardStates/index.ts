export { EmptyCardContent, ErrorWithRetry } from './CardStates';
