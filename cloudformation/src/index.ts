import fs from 'node:fs';
import path from 'node:path';

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
  return path.resolve(__dirname, '..', `${name}.yaml`);
}

/** The template body, as CloudFormation's TemplateBody expects it. */
export function readTemplateBody(name: ForecastTemplateName): string {
  return fs.readFileSync(templatePath(name), 'utf8');
}
