import { functionNameOf } from '../../domain/arn.js';
import { HeraldError } from '../../errors/index.js';

/** The `{FunctionName}` of a route, which may be a name, an ARN or a partial ARN. */
export interface FunctionParams {
  name: string;
}

/**
 * The function a path names: a name (`f`), a name with the `$LATEST` qualifier, or a
 * full or partial ARN. Other qualifiers (versions, aliases) do not exist in Herald.
 */
export function functionNameFrom(text: string, qualifier?: string): string {
  const fromArn = text.startsWith('arn:') ? functionNameOf(text) : undefined;
  const partial = /^\d{12}:function:([^:]+)/.exec(text)?.[1];
  const [name = '', inlineQualifier] = (fromArn ?? partial ?? text).split(':');
  for (const each of [inlineQualifier, qualifier]) {
    if (each !== undefined && each !== '$LATEST') {
      throw new HeraldError('ResourceNotFoundException', `Function not found: ${text}:${each}`, {
        functionName: name,
      });
    }
  }
  return name;
}

/** The JSON object of a request body; an empty body is `{}`. */
export function jsonBody(body: unknown): Record<string, unknown> {
  if (!Buffer.isBuffer(body) || body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HeraldError(
      'InvalidRequestContentException',
      'Could not parse request body into json',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HeraldError(
      'InvalidRequestContentException',
      'The request body must be a JSON object',
    );
  }
  return parsed as Record<string, unknown>;
}

/** A field that must be a string when present. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidField(field, 'a string');
  return value;
}

/** A field that must be an integer when present. */
export function optionalInteger(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw invalidField(field, 'an integer');
  return value;
}

/** A field that must be a JSON object when present. */
export function optionalObject(
  body: Record<string, unknown>,
  field: string,
): Record<string, unknown> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidField(field, 'an object');
  return value as Record<string, unknown>;
}

/** Environment.Variables: string values only. */
export function environmentOf(body: Record<string, unknown>): Record<string, string> | undefined {
  const variables = optionalObject(optionalObject(body, 'Environment') ?? {}, 'Variables');
  if (variables === undefined) return undefined;
  for (const [key, value] of Object.entries(variables)) {
    if (typeof value !== 'string') throw invalidField(`Environment.Variables.${key}`, 'a string');
  }
  return variables as Record<string, string>;
}

/** The zip of `Code.ZipFile` / `ZipFile` (base64). S3 and image code are not supported. */
export function zipOf(code: Record<string, unknown>): Buffer | undefined {
  const zipFile = optionalString(code, 'ZipFile');
  if (zipFile !== undefined) return Buffer.from(zipFile, 'base64');
  if (code['S3Bucket'] !== undefined || code['ImageUri'] !== undefined) {
    throw new HeraldError(
      'InvalidParameterValueException',
      'Herald accepts code as ZipFile only (no S3 or container images)',
    );
  }
  return undefined;
}

function invalidField(field: string, kind: string): HeraldError {
  return new HeraldError('InvalidParameterValueException', `${field} must be ${kind}`);
}
