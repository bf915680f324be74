import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PROJECT_ROOT } from '../../src/common/paths.js';

/**
 * The official 360Giving Data Standard schema (test/fixtures/360giving, pinned to release 1.4.3),
 * compiled with ajv for draft 2020-12. The schema files stay as published; what ajv needs is done
 * here: the meta-schema id they name with http:// is the https:// one ajv knows, the standard's own
 * annotation keywords are declared, and the grant schema is known under the ids of 1.4.2 (which the
 * files carry) and 1.4.3.
 */
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', '360giving');
const RAW = 'https://raw.githubusercontent.com/ThreeSixtyGiving/standard';

function schema(file: string): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, unknown>;
  return { ...parsed, $schema: 'https://json-schema.org/draft/2020-12/schema' };
}

let compiled: ValidateFunction | undefined;

/** The validator of a 360Giving package ({ grants: [...] }), compiled once. */
export function packageValidator(): ValidateFunction {
  if (compiled) return compiled;
  // Strict, but for `required` inside the grant's oneOf: the schema names there properties it defines one level up.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
  const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'codelist', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'openCodelist', schemaType: 'boolean' });
  ajv.addKeyword({ keyword: 'rollUp', schemaType: 'array' });
  const grant = schema('360-giving-schema.json');
  ajv.addSchema(grant);
  ajv.addSchema({ ...grant, $id: `${RAW}/1.4.3/schema/360-giving-schema.json` });
  compiled = ajv.compile(schema('360-giving-package-schema.json'));
  return compiled;
}

/** The schema's findings on `data`, one line each ("/grants/0 must have required property 'id'"); none when valid. */
export function threeSixtyGivingErrors(data: unknown): string[] {
  const validate = packageValidator();
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
}
