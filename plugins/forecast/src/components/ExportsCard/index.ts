export { ExportsCard } from './ExportsCard';
