import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';

/**
 * The project's CloudFormation templates, shipped with this package so the
 * scaffolder actions and the sandbox deploy exactly the files under review.
 *
 * @packageDocumentation
 */

/** Names of the templates in this package. */
export type ForecastTemplateName = 'forecast-dependency' | 'forecast-workload';

/** Absolute path of a template file. */
export function templatePath(name: ForecastTemplateName): string {
  return resolvePackagePath(
    '@forecast-pipelines/cloudformation',
    `${name}.yaml`,
  );
}

/**
 * Reads a template body.
 * NOTE: forecast-workload.yaml is larger than the 51,200 bytes that
 * CreateStack accepts as TemplateBody. On real AWS, upload it to S3 and pass
 * TemplateURL (up to 1 MB) instead.
 */
export function readTemplateBody(name: ForecastTemplateName): string {
  return fs.readFileSync(templatePath(name), 'utf8');
}
