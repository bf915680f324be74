import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { registerDecorator, validate, type ValidationError, type ValidationOptions } from 'class-validator';
import { ValidationFailed, type FieldErrors } from './errors.js';
import { isValidIban } from './iban.js';

/** PostgreSQL `integer`: counts and versions stay inside it. */
export const MAX_INT4 = 2_147_483_647;

/**
 * The largest amount in cents any money field takes (10 billion euros): far below 2^53, so sums over
 * whole plans and calls stay exact in JavaScript numbers and fit the `bigint` columns.
 */
export const MAX_CENTS = 1_000_000_000_000;

/** class-validator constraint names mapped to message keys in templates/i18n. */
const CONSTRAINT_KEYS: Record<string, string> = {
  isNotEmpty: 'validation.required',
  isDefined: 'validation.required',
  isEmail: 'validation.email',
  isIn: 'validation.choice',
  isEnum: 'validation.choice',
  maxLength: 'validation.tooLong',
  minLength: 'validation.tooShort',
  isDateString: 'validation.date',
  isISO8601: 'validation.date',
  isBoolean: 'validation.boolean',
  isUUID: 'validation.choice',
  isUrl: 'validation.url',
  isInt: 'validation.integer',
  min: 'validation.min',
  max: 'validation.max',
  matches: 'validation.format',
  whitelistValidation: 'validation.unknownField',
  isString: 'validation.text',
  isArray: 'validation.array',
  arrayMaxSize: 'validation.tooManyEntries',
  arrayNotEmpty: 'validation.required',
};

const REQUIRED_CONSTRAINTS = ['isNotEmpty', 'isDefined', 'arrayNotEmpty'];

export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      // One message per field, the one that helps most: a missing value says so and nothing else.
      const names = Object.keys(error.constraints);
      const name = names.find((n) => REQUIRED_CONSTRAINTS.includes(n)) ?? names[names.length - 1];
      const message = error.constraints[name];
      fields[path] = [message.startsWith('validation.') ? message : (CONSTRAINT_KEYS[name] ?? message)];
    } else if (error.children?.length) {
      // Parts are named only when the field itself is fine: an object where a list belongs is one message.
      Object.assign(fields, toFieldErrors(error.children, path));
    }
  }
  return fields;
}

/**
 * Turns a request body into a checked DTO, or throws a 422 naming every wrong field.
 * Web forms and the JSON API share it so that both give the same answers.
 */
export async function parseDto<T extends object>(dto: ClassConstructor<T>, body: unknown): Promise<T> {
  const instance = plainToInstance(dto, body ?? {}, { exposeDefaultValues: true });
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new ValidationFailed(toFieldErrors(errors));
  return instance;
}

export function IsIban(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIban',
      target: object.constructor,
      propertyName,
      options: { message: 'validation.iban', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidIban(value) },
    });
}

/** Trims strings and turns empty form fields into `undefined`, so optional fields stay optional. */
export function emptyToUndefined({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** HTML checkboxes send "on"/"true" or nothing; JSON sends booleans. */
export function toBoolean({ value }: { value: unknown }): unknown {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null || value === '') return false;
  if (value === 'on' || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

/** Shows an error under the form field that carries the value (e.g. a date typed in two fields). */
export function renameFields(mapping: Record<string, string>): (error: unknown) => never {
  return (error: unknown) => {
    if (error instanceof ValidationFailed) {
      throw new ValidationFailed(Object.fromEntries(Object.entries(error.fields).map(([field, keys]) => [mapping[field] ?? field, keys])));
    }
    throw error;
  };
}
