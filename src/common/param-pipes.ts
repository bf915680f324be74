import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { NotFound, ValidationFailed } from './errors.js';
import { isUuid } from './ids.js';
import { MAX_INT4 } from './validation.js';


export const isIdName = (name: string): boolean => name === 'id' || name.endsWith('Id');

/**
 * Global: every path parameter named `id` or `…Id` is a UUID, else the thing cannot exist (404);
 * every such query parameter is a UUID or empty (no filter), else a 422 naming it.
 * No malformed id reaches SQL.
 */
@Injectable()
export class IdParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const name = metadata.data;
    if (typeof name !== 'string' || !isIdName(name)) return value;
    if (metadata.type === 'param' && !(typeof value === 'string' && isUuid(value))) throw new NotFound();
    if (metadata.type === 'query' && value !== undefined && value !== '' && !(typeof value === 'string' && isUuid(value))) {
      throw new ValidationFailed({ [name]: ['validation.choice'] });
    }
    return value;
  }
}

/**
 * The OpenAPI side of IdParamsPipe: every path parameter the pipe holds to a UUID is documented as
 * one (`format: uuid`), so the rule is stated once, by name, for the pipe and the document alike.
 */
export function documentIdParams(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    const operations = [item.get, item.put, item.post, item.delete, item.options, item.head, item.patch, item.trace];
    for (const parameter of [item, ...operations].flatMap((holder) => holder?.parameters ?? [])) {
      if (!('in' in parameter) || parameter.in !== 'path' || !isIdName(parameter.name)) continue;
      parameter.schema = { ...parameter.schema, type: 'string', format: 'uuid' };
    }
  }
  return document;
}

/** A positive whole number in a path (a version number): anything else names nothing, so 404. */
@Injectable()
export class PositiveIntParam implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    // The global ValidationPipe may already have turned the text into a number.
    const text = typeof value === 'number' ? String(value) : value;
    const number = typeof text === 'string' && /^\d{1,10}$/.test(text) ? Number(text) : NaN;
    if (!(number >= 1 && number <= MAX_INT4)) throw new NotFound();
    return number;
  }
}

/** An optional numeric id for paging (a bigint column): digits only and within range, else 422. */
@Injectable()
export class OptionalBigintQuery implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown, metadata: ArgumentMetadata): string | undefined {
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' && /^\d{1,18}$/.test(value)) return value;
    throw new ValidationFailed({ [metadata.data ?? 'query']: ['validation.integer'] });
  }
}

/** An optional filter among known values: empty means no filter, anything else unknown is a 422 naming it. */
export class OptionalChoiceQuery implements PipeTransform<unknown, string | undefined> {
  constructor(private readonly choices: readonly string[]) {}

  transform(value: unknown, metadata: ArgumentMetadata): string | undefined {
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string' && this.choices.includes(value)) return value;
    throw new ValidationFailed({ [metadata.data ?? 'query']: ['validation.choice'] });
  }
}
