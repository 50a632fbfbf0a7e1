// Validates CRM feed events against their JSON Schemas (2020-12, ajv) and the AsyncAPI document (the AsyncAPI parser).
//   node validate.js <directory of *.json events> [--asyncapi ../../contracts/asyncapi.yaml]
// Exits 1 and prints every problem when anything does not validate.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Parser, fromFile } from '@asyncapi/parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const contracts = path.resolve(here, '../../contracts');
const args = process.argv.slice(2);
const eventsDir = args.find((a) => !a.startsWith('--'));
const asyncapiFile = args.includes('--asyncapi') ? args[args.indexOf('--asyncapi') + 1] : path.join(contracts, 'asyncapi.yaml');

const problems = [];
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const schemaDir = path.join(contracts, 'schemas', 'cloudevents');
const types = [];
for (const file of fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8')));
  types.push(file.replace('.schema.json', ''));
}

let validated = 0;
if (eventsDir) {
  for (const file of fs.readdirSync(eventsDir).filter((f) => f.endsWith('.json'))) {
    const event = JSON.parse(fs.readFileSync(path.join(eventsDir, file), 'utf8'));
    const validate = ajv.getSchema(`urn:customersuccess:cloudevent:${event.type}`);
    if (!validate) {
      problems.push(`${file}: no schema for type ${event.type}`);
      continue;
    }
    if (!validate(event)) {
      problems.push(`${file}: ${ajv.errorsText(validate.errors, { dataVar: event.type })}`);
    }
    validated++;
  }
}

const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, asyncapiFile).parse();
for (const d of diagnostics.filter((d) => d.severity === 0)) {
  problems.push(`asyncapi: ${d.message} at ${d.path.join('/')}`);
}
if (document) {
  const addresses = document.channels().all().map((c) => c.address());
  for (const type of types) {
    if (!addresses.includes(type)) problems.push(`asyncapi: no channel for ${type}`);
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`valid: ${validated} events against ${types.length} schemas; ${asyncapiFile} parses with ${document.channels().all().length} channels`);
