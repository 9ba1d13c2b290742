import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

const MASK = '***';

/** Secrets shorter than this are not masked, because they would mask ordinary words. */
const MIN_SECRET_LENGTH = 4;

function redactString(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    result = result.split(secret).join(MASK);
  }
  return result;
}

function redactMeta(
  meta: Error | JsonObject | undefined,
  secrets: string[],
): Error | JsonObject | undefined {
  if (meta === undefined) {
    return meta;
  }
  if (meta instanceof Error) {
    const copy = new Error(redactString(meta.message, secrets));
    copy.name = meta.name;
    copy.stack = meta.stack ? redactString(meta.stack, secrets) : undefined;
    return copy;
  }
  return JSON.parse(redactString(JSON.stringify(meta), secrets)) as JsonObject;
}

/**
 * Wraps a logger so that each of the given secret values is replaced by `***`
 * in messages and metadata. The scaffolder already masks task secrets in the
 * task log; this wrapper also covers values the action itself knows to be
 * secret (NoEcho template parameters) and loggers that mask nothing, such as
 * the one of a test context.
 */
export function createRedactingLogger(
  logger: LoggerService,
  secretValues: Iterable<unknown>,
): LoggerService {
  const secrets = [...secretValues]
    .filter((value): value is string => typeof value === 'string')
    .filter(value => value.length >= MIN_SECRET_LENGTH)
    // Longest first, so a secret that contains another is masked whole.
    .sort((a, b) => b.length - a.length);

  if (secrets.length === 0) {
    return logger;
  }

  return {
    error: (message, meta) =>
      logger.error(redactString(message, secrets), redactMeta(meta, secrets)),
    warn: (message, meta) =>
      logger.warn(redactString(message, secrets), redactMeta(meta, secrets)),
    info: (message, meta) =>
      logger.info(redactString(message, secrets), redactMeta(meta, secrets)),
    debug: (message, meta) =>
      logger.debug(redactString(message, secrets), redactMeta(meta, secrets)),
    child: meta =>
      createRedactingLogger(
        logger.child(redactMeta(meta, secrets) as JsonObject),
        secrets,
      ),
  };
}
