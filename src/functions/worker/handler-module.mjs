/**
 * Finds and loads a function's handler by Lambda's rules: `index.handler` is the export
 * `handler` of index.js, index.mjs, index.cjs or (Herald only) index.ts in the bundle
 * directory; `src/app.main` looks in src/; `index.a.b` reaches the nested export `a.b`.
 * TypeScript runs through tsx, loaded only when a .ts handler needs it.
 */
import { existsSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/** @typedef {import('./lambda-context.mjs').Settle} Callback */

/**
 * A handler: Lambda's signature, with a callback for callback-style handlers.
 * @typedef {(event: unknown, context: object, callback?: Callback) => unknown} Handler
 */

/**
 * A loaded handler and whether it takes a callback.
 * @typedef {{ handler: Handler, callbackStyle: boolean }} LoadedHandler
 */

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts'];

/** An error of the init phase, named like Lambda's runtime errors (`Runtime.*`). */
export class RuntimeInitError extends Error {
  /**
   * @param {string} name
   * @param {string} message
   */
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

/**
 * Loads the handler `spec` from the bundle in `dir`.
 * @param {string} dir
 * @param {string} spec
 * @returns {Promise<LoadedHandler>}
 */
export async function loadHandler(dir, spec) {
  const { moduleName, exportPath } = parseHandler(spec);
  const file = findModule(dir, moduleName);
  const namespace = await importModule(file);
  const handler = lookUp(namespace, exportPath) ?? lookUp(namespace.default, exportPath);

  if (handler === undefined) {
    throw new RuntimeInitError('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new RuntimeInitError('Runtime.HandlerNotFound', `${spec} is not a function`);
  }

  const isAsync = handler.constructor.name === 'AsyncFunction';
  const callbackStyle = handler.length >= 3 && !isAsync;
  return { handler: /** @type {Handler} */ (handler), callbackStyle };
}

/**
 * Splits `dir/sub/module.export.path` into the module and the export path.
 * @param {string} spec
 */
function parseHandler(spec) {
  const slash = spec.lastIndexOf('/');
  const base = spec.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot < 1 || dot === base.length - 1) {
    throw new RuntimeInitError('Runtime.MalformedHandlerName', `Bad handler ${spec}`);
  }
  return {
    moduleName: spec.slice(0, slash + 1) + base.slice(0, dot),
    exportPath: base.slice(dot + 1).split('.'),
  };
}

/**
 * The file of `moduleName` inside `dir`, trying Lambda's extensions in order.
 * @param {string} dir
 * @param {string} moduleName
 * @returns {string}
 */
function findModule(dir, moduleName) {
  const inside = relative(dir, join(dir, moduleName));
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new RuntimeInitError('Runtime.ImportModuleError', `Error: Bad module ${moduleName}`);
  }

  for (const extension of EXTENSIONS) {
    const file = join(dir, moduleName + extension);
    if (existsSync(file)) return file;
  }
  throw new RuntimeInitError(
    'Runtime.ImportModuleError',
    `Error: Cannot find module '${moduleName}'`,
  );
}

/**
 * Imports a handler module; .ts through tsx. Errors are named as Lambda names them.
 * @param {string} file
 * @returns {Promise<Record<string, unknown>>}
 */
async function importModule(file) {
  const url = pathToFileURL(file).href;
  try {
    if (!file.endsWith('.ts')) return await import(url);
    const { tsImport } = await import('tsx/esm/api');
    return await tsImport(url, import.meta.url);
  } catch (error) {
    throw initError(error);
  }
}

/**
 * Renames a module's load error like Lambda: syntax errors and missing modules get runtime
 * names; anything the module's own code threw keeps its own.
 * @param {unknown} error
 * @returns {unknown}
 */
function initError(error) {
  if (error instanceof SyntaxError) {
    return new RuntimeInitError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
  }
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    const { name, message } = /** @type {Error} */ (error);
    return new RuntimeInitError('Runtime.ImportModuleError', `${name}: ${message}`);
  }
  return error;
}

/**
 * Follows an export path (`a.b`) from a module namespace or exports object.
 * @param {unknown} root
 * @param {string[]} path
 * @returns {unknown}
 */
function lookUp(root, path) {
  let value = root;
  for (const key of path) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      return undefined;
    }
    value = /** @type {Record<string, unknown>} */ (value)[key];
  }
  return value;
}
