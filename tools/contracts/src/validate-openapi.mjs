// Validates an OpenAPI document with @seriousme/openapi-schema-validator (ESM only, hence a process
// of its own): `node validate-openapi.mjs <file>` prints {"valid", "version", "errors"} as JSON.
import { Validator } from '@seriousme/openapi-schema-validator';

const validator = new Validator();
const result = await validator.validate(process.argv[2]);
process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? [] }) + '\n');
